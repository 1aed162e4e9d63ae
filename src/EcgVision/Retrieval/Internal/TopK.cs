namespace EcgVision.Retrieval.Internal;

/// <summary>A bounded min-heap that keeps the best <c>capacity</c> (score, row) pairs.</summary>
/// <remarks>
/// Order: higher score is better; on equal scores the lower row index is better, so results are deterministic.
/// The root is the worst kept entry, so a candidate is rejected in O(1) when the heap is full and it is not better than the root.
/// </remarks>
internal sealed class TopK
{
    private readonly float[] _scores;
    private readonly int[] _rows;

    public TopK(int capacity)
    {
        _scores = new float[Math.Max(capacity, 1)];
        _rows = new int[Math.Max(capacity, 1)];
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The worst kept score (meaningful only when <see cref="IsFull"/>).</summary>
    public float MinScore => _scores[0];

    public void Clear() => Count = 0;

    /// <summary>Offers a candidate; keeps it if the heap is not full or it beats the worst kept entry.</summary>
    public void Push(float score, int row)
    {
        if (Count < Capacity)
        {
            int i = Count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(score, row, _scores[parent], _rows[parent]))
                {
                    break;
                }

                _scores[i] = _scores[parent];
                _rows[i] = _rows[parent];
                i = parent;
            }

            _scores[i] = score;
            _rows[i] = row;
            return;
        }

        if (Capacity == 0 || !Worse(_scores[0], _rows[0], score, row))
        {
            return;
        }

        SiftDown(score, row);
    }

    /// <summary>Copies the kept entries sorted best first (score descending, row ascending).</summary>
    public (float Score, int Row)[] ToSortedArray()
    {
        var result = new (float Score, int Row)[Count];
        for (int i = 0; i < Count; i++)
        {
            result[i] = (_scores[i], _rows[i]);
        }

        Array.Sort(result, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Row.CompareTo(b.Row));
        return result;
    }

    // a is worse than b: lower score, or equal score and higher row index.
    private static bool Worse(float sa, int ra, float sb, int rb) => sa < sb || (sa == sb && ra > rb);

    private void SiftDown(float score, int row)
    {
        int n = Count;
        int i = 0;
        while (true)
        {
            int left = (2 * i) + 1;
            if (left >= n)
            {
                break;
            }

            int child = left;
            int right = left + 1;
            if (right < n && Worse(_scores[right], _rows[right], _scores[left], _rows[left]))
            {
                child = right;
            }

            if (!Worse(_scores[child], _rows[child], score, row))
            {
                break;
            }

            _scores[i] = _scores[child];
            _rows[i] = _rows[child];
            i = child;
        }

        _scores[i] = score;
        _rows[i] = row;
    }
}
