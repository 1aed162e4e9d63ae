using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcgVision.Retrieval.Internal;

/// <summary>SIMD dot-product kernels over contiguous float32 rows (row-major, stride = dimension).</summary>
/// <remarks>
/// <para><see cref="DotRows(float*, float*, int, int, float*)"/> (one query) scores four rows per pass: the query chunk is loaded once and fused-multiply-added
/// into four independent accumulators, so the loop is bound by memory bandwidth, not by per-call overhead or FMA latency.</para>
/// <para><see cref="ScoreRowsAgainstQueries"/> (many queries) is a GEMM-like micro-kernel against queries transposed once to
/// dimension-major order: four broadcast row values times two vectors of queries give eight accumulators and no horizontal sums.</para>
/// <para>Dimension tails that are not a multiple of the vector width are finished with scalar code, so any dimension ≥ 1 works.</para>
/// </remarks>
internal static unsafe class DotKernels
{
    /// <summary>Queries per batch micro-kernel tile: 64 (four vectors) with AVX-512, 16 (two vectors) with AVX2, else 8 (scalar); query strides are padded to a multiple of it.</summary>
    public static int BatchColumnWidth { get; } =
        Vector512.IsHardwareAccelerated ? 64 : Vector256.IsHardwareAccelerated ? 16 : 8;

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

    /// <summary>Span form of <see cref="Transpose"/> (of the queries) then <see cref="ScoreRowsAgainstQueries"/>: scores are <c>[rows, stride]</c> (tests).</summary>
    public static void ScoreBlock(ReadOnlySpan<float> queries, ReadOnlySpan<float> rows, int dimension, int stride, Span<float> scores)
    {
        float[] transposed = new float[stride * dimension];
        fixed (float* q = queries)
        fixed (float* r = rows)
        fixed (float* t = transposed)
        fixed (float* s = scores)
        {
            Transpose(q, dimension, queries.Length / dimension, t, stride);
            ScoreRowsAgainstQueries(r, rows.Length / dimension, dimension, t, stride, s);
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

    /// <summary>Copies <paramref name="count"/> vectors into dimension-major order: <c>destination[j * stride + i] = source[i][j]</c>; columns count..stride are zeroed.</summary>
    public static void Transpose(float* source, int dimension, int count, float* destination, int stride)
    {
        for (int i = 0; i < count; i++)
        {
            float* src = source + ((long)i * dimension);
            for (int j = 0; j < dimension; j++)
            {
                destination[((long)j * stride) + i] = src[j];
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
    /// scores[r * queryStride + q] = dot(row r, query q) for r in [0, rowCount) and q in [0, queryStride), where the queries are given
    /// transposed (<paramref name="transposedQueries"/>[j * queryStride + q]) and <paramref name="queryStride"/> is a multiple of
    /// <see cref="BatchColumnWidth"/>. Rows are read in place (row-major), so the stored rows never need to be transposed.
    /// </summary>
    /// <remarks>
    /// Register blocking (AVX-512): 6 rows × 64 queries per tile; each step broadcasts one value of each of the 6 rows and multiplies it into
    /// 4 vectors of transposed query values (24 FMA accumulators, no horizontal sums). AVX2: 4 rows × 16 queries. Query chunks are the outer
    /// loop so a chunk (width × dimension floats) stays in L1/L2 while the row block streams past it.
    /// </remarks>
    public static void ScoreRowsAgainstQueries(float* rows, int rowCount, int dimension, float* transposedQueries, int queryStride, float* scores)
    {
        int width = BatchColumnWidth;
        for (int c = 0; c < queryStride; c += width)
        {
            float* qc = transposedQueries + c;
            int r = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; r + 6 <= rowCount; r += 6)
                {
                    Micro6x64(rows + ((long)r * dimension), dimension, qc, queryStride, scores + ((long)r * queryStride) + c);
                }

                for (; r < rowCount; r++)
                {
                    Micro1x64(rows + ((long)r * dimension), dimension, qc, queryStride, scores + ((long)r * queryStride) + c);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; r + 4 <= rowCount; r += 4)
                {
                    Micro4x16(rows + ((long)r * dimension), dimension, qc, queryStride, scores + ((long)r * queryStride) + c);
                }
            }

            if (r < rowCount)
            {
                ScalarTile(rows + ((long)r * dimension), rowCount - r, dimension, qc, queryStride, width, scores + ((long)r * queryStride) + c);
            }
        }
    }

    private static void ScalarTile(float* rows, int rowCount, int d, float* qc, int queryStride, int width, float* s)
    {
        for (int r = 0; r < rowCount; r++)
        {
            float* row = rows + ((long)r * d);
            float* sr = s + ((long)r * queryStride);
            new Span<float>(sr, width).Clear();
            for (int j = 0; j < d; j++)
            {
                float x = row[j];
                float* qj = qc + ((long)j * queryStride);
                for (int q = 0; q < width; q++)
                {
                    sr[q] += x * qj[q];
                }
            }
        }
    }

    // 6 rows × 64 queries: 24 accumulators, 4 vector loads + 6 broadcasts per 24 FMAs (of the tiles tried here, 4 × 32, 8 × 32, 4 × 64 and
    // 6 × 64, the fastest: ~10 % ahead of 8 × 32 and ~40 % ahead of 4 × 32).
    private static void Micro6x64(float* r0, int d, float* qc, int stride, float* s)
    {
        float* r1 = r0 + d;
        float* r2 = r1 + d;
        float* r3 = r2 + d;
        float* r4 = r3 + d;
        float* r5 = r4 + d;
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        Vector512<float> c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        Vector512<float> c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        float* qj = qc;
        for (int j = 0; j < d; j++, qj += stride)
        {
            Vector512<float> b0 = Vector512.Load(qj);
            Vector512<float> b1 = Vector512.Load(qj + 16);
            Vector512<float> b2 = Vector512.Load(qj + 32);
            Vector512<float> b3 = Vector512.Load(qj + 48);
            Vector512<float> a = Vector512.Create(r0[j]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(a, b2, c02);
            c03 = Vector512.FusedMultiplyAdd(a, b3, c03);
            a = Vector512.Create(r1[j]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(a, b2, c12);
            c13 = Vector512.FusedMultiplyAdd(a, b3, c13);
            a = Vector512.Create(r2[j]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(a, b2, c22);
            c23 = Vector512.FusedMultiplyAdd(a, b3, c23);
            a = Vector512.Create(r3[j]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(a, b2, c32);
            c33 = Vector512.FusedMultiplyAdd(a, b3, c33);
            a = Vector512.Create(r4[j]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            c42 = Vector512.FusedMultiplyAdd(a, b2, c42);
            c43 = Vector512.FusedMultiplyAdd(a, b3, c43);
            a = Vector512.Create(r5[j]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            c52 = Vector512.FusedMultiplyAdd(a, b2, c52);
            c53 = Vector512.FusedMultiplyAdd(a, b3, c53);
        }

        Store4(s, c00, c01, c02, c03);
        Store4(s + stride, c10, c11, c12, c13);
        Store4(s + (2 * stride), c20, c21, c22, c23);
        Store4(s + (3 * stride), c30, c31, c32, c33);
        Store4(s + (4 * stride), c40, c41, c42, c43);
        Store4(s + (5 * stride), c50, c51, c52, c53);
    }

    // One row × 64 queries, for the rows left over after the 6-row tiles.
    private static void Micro1x64(float* r0, int d, float* qc, int stride, float* s)
    {
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0;
        float* qj = qc;
        for (int j = 0; j < d; j++, qj += stride)
        {
            Vector512<float> a = Vector512.Create(r0[j]);
            c0 = Vector512.FusedMultiplyAdd(a, Vector512.Load(qj), c0);
            c1 = Vector512.FusedMultiplyAdd(a, Vector512.Load(qj + 16), c1);
            c2 = Vector512.FusedMultiplyAdd(a, Vector512.Load(qj + 32), c2);
            c3 = Vector512.FusedMultiplyAdd(a, Vector512.Load(qj + 48), c3);
        }

        Store4(s, c0, c1, c2, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* s, Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        a.Store(s);
        b.Store(s + 16);
        c.Store(s + 32);
        d.Store(s + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Micro4x16(float* r0, int d, float* qc, int stride, float* s)
    {
        float* r1 = r0 + d;
        float* r2 = r1 + d;
        float* r3 = r2 + d;
        Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int j = 0; j < d; j++)
        {
            float* qj = qc + ((long)j * stride);
            Vector256<float> b0 = Vector256.Load(qj);
            Vector256<float> b1 = Vector256.Load(qj + 8);
            Vector256<float> a = Vector256.Create(r0[j]);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(r1[j]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(r2[j]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(r3[j]);
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

    /// <summary>
    /// Widens IEEE binary16 values to float32 for scanning: exact for normal halves; subnormal halves (|x| &lt; 6.1e-5) become ±0.
    /// Inputs are finite (rows are unit-norm), so infinities and NaN are not handled.
    /// </summary>
    /// <remarks>
    /// Flushing subnormals changes a dot product by less than 6.1e-5 × ‖q‖₁ and only affects candidate scores: every returned hit is
    /// re-scored exactly in float32. This bit-manipulation path is several times faster here than the general conversion.
    /// </remarks>
    public static void HalfToSingleForScan(Half* source, float* destination, int count)
    {
        ushort* src = (ushort*)source;
        uint* dst = (uint*)destination;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<uint> sign = Vector512.Create(0x8000u), magnitude = Vector512.Create(0x7FFFu), exponent = Vector512.Create(0x7C00u);
            Vector512<uint> bias = Vector512.Create(0x38000000u); // (127 − 15) << 23
            for (; i <= count - 16; i += 16)
            {
                Vector512<uint> h = Vector512.WidenLower(Vector256.Load(src + i).ToVector512Unsafe());
                Vector512<uint> f = ((h & sign) << 16) | (((h & magnitude) << 13) + bias);
                Vector512.AndNot(f, Vector512.Equals(h & exponent, Vector512<uint>.Zero) & ~((h & sign) << 16)).Store(dst + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> sign = Vector256.Create(0x8000u), magnitude = Vector256.Create(0x7FFFu), exponent = Vector256.Create(0x7C00u);
            Vector256<uint> bias = Vector256.Create(0x38000000u);
            for (; i <= count - 8; i += 8)
            {
                Vector256<uint> h = Vector256.WidenLower(Vector128.Load(src + i).ToVector256Unsafe());
                Vector256<uint> f = ((h & sign) << 16) | (((h & magnitude) << 13) + bias);
                Vector256.AndNot(f, Vector256.Equals(h & exponent, Vector256<uint>.Zero) & ~((h & sign) << 16)).Store(dst + i);
            }
        }

        for (; i < count; i++)
        {
            uint h = src[i];
            uint f = ((h & 0x8000u) << 16) | (((h & 0x7FFFu) << 13) + 0x38000000u);
            dst[i] = (h & 0x7C00u) == 0 ? (h & 0x8000u) << 16 : f;
        }
    }

    /// <summary>Span form of <see cref="HalfToSingleForScan(Half*, float*, int)"/> (tests).</summary>
    public static void HalfToSingleForScan(ReadOnlySpan<Half> source, Span<float> destination)
    {
        fixed (Half* s = source)
        fixed (float* d = destination)
        {
            HalfToSingleForScan(s, d, source.Length);
        }
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
