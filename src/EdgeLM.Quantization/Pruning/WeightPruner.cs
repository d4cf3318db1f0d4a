namespace EdgeLM.Quantization.Pruning;

/// <summary>Zeroes the lowest-scoring weights of a matrix in place, row by row (rows are output features).</summary>
public static class WeightPruner
{
    /// <summary>
    /// Prunes <paramref name="rows"/> (a whole number of rows of <paramref name="rowLength"/> values).
    /// <paramref name="columnImportance"/> (mean squared activation per input column) is required for Wanda.
    /// </summary>
    public static void Prune(Span<float> rows, int rowLength, PruneOptions options, ReadOnlySpan<float> columnImportance)
    {
        if (options.Method == PruneMethod.Wanda && columnImportance.Length < rowLength)
        {
            throw new ArgumentException("Wanda pruning needs an importance matrix entry for every matrix it prunes (--imatrix)");
        }
        var scores = new float[rowLength];
        var order = new int[rowLength];
        for (int start = 0; start + rowLength <= rows.Length; start += rowLength)
        {
            var row = rows.Slice(start, rowLength);
            for (int i = 0; i < rowLength; i++)
            {
                // Wanda's score is |w| * ||x_i||_2; the imatrix holds mean x_i^2, whose square root orders columns the same way.
                scores[i] = MathF.Abs(row[i]) * (options.Method == PruneMethod.Wanda ? MathF.Sqrt(columnImportance[i]) : 1f);
            }
            if (options.Pattern == PrunePattern.TwoOfFour)
            {
                PruneTwoOfFour(row, scores);
            }
            else
            {
                int remove = (int)(rowLength * options.Ratio);
                for (int i = 0; i < rowLength; i++)
                {
                    order[i] = i;
                }
                Array.Sort(scores, order);
                for (int i = 0; i < remove; i++)
                {
                    row[order[i]] = 0;
                }
            }
        }
    }

    private static void PruneTwoOfFour(Span<float> row, float[] scores)
    {
        for (int g = 0; g + 4 <= row.Length; g += 4)
        {
            // Keep the two largest scores of the group; ties keep the earlier column.
            int a = g, b = g + 1;
            if (scores[b] > scores[a])
            {
                (a, b) = (b, a);
            }
            for (int i = g + 2; i < g + 4; i++)
            {
                if (scores[i] > scores[a])
                {
                    b = a;
                    a = i;
                }
                else if (scores[i] > scores[b])
                {
                    b = i;
                }
            }
            for (int i = g; i < g + 4; i++)
            {
                if (i != a && i != b)
                {
                    row[i] = 0;
                }
            }
        }
    }
}
