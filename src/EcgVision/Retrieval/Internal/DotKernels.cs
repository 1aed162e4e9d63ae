using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcgVision.Retrieval.Internal;

/// <summary>SIMD dot-product kernels over contiguous float32 rows (row-major, stride = dimension).</summary>
/// <remarks>
/// <para><see cref="DotRows(float*, float*, int, int, float*)"/> (one query) scores four rows per pass: the query chunk is loaded once and fused-multiply-added
/// into four independent accumulators, so the loop is bound by memory bandwidth, not by per-call overhead or FMA latency.</para>
/// <para><see cref="ScoreTransposedBlock"/> (many queries) is a GEMM-like micro-kernel over a row block transposed to
/// dimension-major order: four broadcast query values times two vectors of rows give eight accumulators and no horizontal sums.</para>
/// <para>Dimension tails that are not a multiple of the vector width are finished with scalar code, so any dimension ≥ 1 works.</para>
/// </remarks>
internal static unsafe class DotKernels
{
    /// <summary>Widest vector width (in floats) used by the batch kernel: 16 with AVX-512, 8 with AVX2/NEON pairs, 1 without SIMD.</summary>
    public static int BatchColumnWidth { get; } =
        Vector512.IsHardwareAccelerated ? 32 : Vector256.IsHardwareAccelerated ? 16 : Vector128.IsHardwareAccelerated ? 8 : 4;

    /// <summary>Span form of <see cref="DotRows(float*, float*, int, int, float*)"/> (tests).</summary>
    public static void DotRows(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, int dimension, Span<float> scores)
    {
        fixed (float* q = query)
        fixed (float* r = rows)
        fixed (float* s = scores)
        {
            DotRows(q, r, dimension, rows.Length / dimension, s);
        }
    }

    /// <summary>Span form of <see cref="Transpose"/> then <see cref="ScoreTransposedBlock"/> (tests).</summary>
    public static void ScoreBlock(ReadOnlySpan<float> queries, ReadOnlySpan<float> rows, int dimension, int stride, Span<float> scores)
    {
        float[] transposed = new float[stride * dimension];
        fixed (float* q = queries)
        fixed (float* r = rows)
        fixed (float* t = transposed)
        fixed (float* s = scores)
        {
            Transpose(r, dimension, rows.Length / dimension, t, stride);
            ScoreTransposedBlock(q, queries.Length / dimension, dimension, t, stride, s);
        }
    }

    /// <summary>Span form of <see cref="DequantizeInt8(sbyte*, float*, int, int, float*)"/> (tests).</summary>
    public static void DequantizeInt8(ReadOnlySpan<sbyte> rows, ReadOnlySpan<float> scales, int dimension, Span<float> destination)
    {
        fixed (sbyte* r = rows)
        fixed (float* sc = scales)
        fixed (float* d = destination)
        {
            DequantizeInt8(r, sc, dimension, scales.Length, d);
        }
    }

    /// <summary>scores[i] = dot(query, rows[i]) for i in [0, count).</summary>
    public static void DotRows(float* query, float* rows, int dimension, int count, float* scores)
    {
        int r = 0;
        if (Vector512.IsHardwareAccelerated && dimension >= 16)
        {
            for (; r + 4 <= count; r += 4)
            {
                Dot4Vector512(query, rows + ((long)r * dimension), dimension, scores + r);
            }
        }
        else if (Vector256.IsHardwareAccelerated && dimension >= 8)
        {
            for (; r + 4 <= count; r += 4)
            {
                Dot4Vector256(query, rows + ((long)r * dimension), dimension, scores + r);
            }
        }

        var q = new ReadOnlySpan<float>(query, dimension);
        for (; r < count; r++)
        {
            scores[r] = TensorPrimitives.Dot(q, new ReadOnlySpan<float>(rows + ((long)r * dimension), dimension));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4Vector512(float* q, float* r0, int d, float* s)
    {
        float* r1 = r0 + d;
        float* r2 = r1 + d;
        float* r3 = r2 + d;
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (; j <= d - 16; j += 16)
        {
            Vector512<float> x = Vector512.Load(q + j);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(r0 + j), x, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(r1 + j), x, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(r2 + j), x, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(r3 + j), x, a3);
        }

        float t0 = Vector512.Sum(a0), t1 = Vector512.Sum(a1), t2 = Vector512.Sum(a2), t3 = Vector512.Sum(a3);
        for (; j < d; j++)
        {
            float x = q[j];
            t0 += r0[j] * x;
            t1 += r1[j] * x;
            t2 += r2[j] * x;
            t3 += r3[j] * x;
        }

        s[0] = t0;
        s[1] = t1;
        s[2] = t2;
        s[3] = t3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4Vector256(float* q, float* r0, int d, float* s)
    {
        float* r1 = r0 + d;
        float* r2 = r1 + d;
        float* r3 = r2 + d;
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (; j <= d - 8; j += 8)
        {
            Vector256<float> x = Vector256.Load(q + j);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(r0 + j), x, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(r1 + j), x, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Load(r2 + j), x, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Load(r3 + j), x, a3);
        }

        float t0 = Vector256.Sum(a0), t1 = Vector256.Sum(a1), t2 = Vector256.Sum(a2), t3 = Vector256.Sum(a3);
        for (; j < d; j++)
        {
            float x = q[j];
            t0 += r0[j] * x;
            t1 += r1[j] * x;
            t2 += r2[j] * x;
            t3 += r3[j] * x;
        }

        s[0] = t0;
        s[1] = t1;
        s[2] = t2;
        s[3] = t3;
    }

    /// <summary>Copies <paramref name="count"/> rows into dimension-major order: <c>destination[j * stride + i] = rows[i][j]</c>; columns count..stride are zeroed.</summary>
    public static void Transpose(float* rows, int dimension, int count, float* destination, int stride)
    {
        // Tile by 16 rows so each source cache line is reused across the inner loop.
        const int Tile = 16;
        for (int i0 = 0; i0 < count; i0 += Tile)
        {
            int i1 = Math.Min(i0 + Tile, count);
            for (int j = 0; j < dimension; j++)
            {
                float* dst = destination + ((long)j * stride);
                for (int i = i0; i < i1; i++)
                {
                    dst[i] = rows[((long)i * dimension) + j];
                }
            }
        }

        if (count < stride)
        {
            for (int j = 0; j < dimension; j++)
            {
                new Span<float>(destination + ((long)j * stride) + count, stride - count).Clear();
            }
        }
    }

    /// <summary>
    /// scores[q * stride + i] = dot(queries[q], row i) for q in [0, queryCount) and i in [0, stride), where the rows are given
    /// transposed (<paramref name="transposed"/>[j * stride + i]). <paramref name="queryCount"/> must be a multiple of 4 and
    /// <paramref name="stride"/> a multiple of <see cref="BatchColumnWidth"/>.
    /// </summary>
    public static void ScoreTransposedBlock(float* queries, int queryCount, int dimension, float* transposed, int stride, float* scores)
    {
        for (int q = 0; q < queryCount; q += 4)
        {
            float* q0 = queries + ((long)q * dimension);
            float* s0 = scores + ((long)q * stride);
            if (Vector512.IsHardwareAccelerated)
            {
                for (int c = 0; c < stride; c += 32)
                {
                    Micro4x32(q0, dimension, transposed + c, stride, s0 + c);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (int c = 0; c < stride; c += 16)
                {
                    Micro4x16(q0, dimension, transposed + c, stride, s0 + c);
                }
            }
            else
            {
                for (int t = 0; t < 4; t++)
                {
                    float* qt = q0 + ((long)t * dimension);
                    for (int c = 0; c < stride; c++)
                    {
                        float acc = 0;
                        for (int j = 0; j < dimension; j++)
                        {
                            acc += qt[j] * transposed[((long)j * stride) + c];
                        }

                        s0[((long)t * stride) + c] = acc;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Micro4x32(float* q0, int d, float* b, int stride, float* s)
    {
        float* q1 = q0 + d;
        float* q2 = q1 + d;
        float* q3 = q2 + d;
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int j = 0; j < d; j++)
        {
            float* bj = b + ((long)j * stride);
            Vector512<float> b0 = Vector512.Load(bj);
            Vector512<float> b1 = Vector512.Load(bj + 16);
            Vector512<float> a = Vector512.Create(q0[j]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(q1[j]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(q2[j]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(q3[j]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
        }

        c00.Store(s);
        c01.Store(s + 16);
        c10.Store(s + stride);
        c11.Store(s + stride + 16);
        c20.Store(s + (2 * stride));
        c21.Store(s + (2 * stride) + 16);
        c30.Store(s + (3 * stride));
        c31.Store(s + (3 * stride) + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Micro4x16(float* q0, int d, float* b, int stride, float* s)
    {
        float* q1 = q0 + d;
        float* q2 = q1 + d;
        float* q3 = q2 + d;
        Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int j = 0; j < d; j++)
        {
            float* bj = b + ((long)j * stride);
            Vector256<float> b0 = Vector256.Load(bj);
            Vector256<float> b1 = Vector256.Load(bj + 8);
            Vector256<float> a = Vector256.Create(q0[j]);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(q1[j]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(q2[j]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(q3[j]);
            c30 = Vector256.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a, b1, c31);
        }

        c00.Store(s);
        c01.Store(s + 8);
        c10.Store(s + stride);
        c11.Store(s + stride + 8);
        c20.Store(s + (2 * stride));
        c21.Store(s + (2 * stride) + 8);
        c30.Store(s + (3 * stride));
        c31.Store(s + (3 * stride) + 8);
    }

    /// <summary>Widens int8 rows to float32 and multiplies each row by its scale: destination row i = rows[i] · scales[i].</summary>
    public static void DequantizeInt8(sbyte* rows, float* scales, int dimension, int count, float* destination)
    {
        for (int i = 0; i < count; i++)
        {
            sbyte* src = rows + ((long)i * dimension);
            float* dst = destination + ((long)i * dimension);
            float scale = scales[i];
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> sv = Vector256.Create(scale);
                for (; j <= dimension - 16; j += 16)
                {
                    Vector256<short> w = Vector256.WidenLower(Vector128.Load(src + j).ToVector256Unsafe());
                    (Vector256<int> lo, Vector256<int> hi) = Vector256.Widen(w);
                    (Vector256.ConvertToSingle(lo) * sv).Store(dst + j);
                    (Vector256.ConvertToSingle(hi) * sv).Store(dst + j + 8);
                }
            }

            for (; j < dimension; j++)
            {
                dst[j] = src[j] * scale;
            }
        }
    }
}
