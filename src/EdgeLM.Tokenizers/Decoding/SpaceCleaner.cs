namespace EdgeLM.Tokenizers.Decoding;

/// <summary>
/// Hugging Face's clean_up_tokenization_spaces as llama.cpp's detokenizer applies it, in place on the bytes,
/// in three passes: remove the space before ? ! . ,; turn " ' " into "'"; remove the space before 's 'm 're 've
/// (but not before 't 'd 'll).
/// </summary>
internal static class SpaceCleaner
{
    /// <returns>The new length of <paramref name="t"/>.</returns>
    public static int Clean(byte[] t)
    {
        int total = t.Length;

        int n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++)
        {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ','))
            {
                total--;
            }
            t[total++] = x;
        }

        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++)
        {
            byte x = t[i];
            if (x == '\'' && i + 1 < n && t[i - 1] == ' ' && t[i + 1] == ' ')
            {
                total--;
                // The space after the quote is consumed too: zero it and step over it.
                t[++i] = 0;
            }
            t[total++] = x;
        }

        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++)
        {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < n)
            {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm')
                {
                    total--;
                }
                else if (x1 != 't' && x1 != 'd' && i + 2 < n)
                {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e'))
                    {
                        total--;
                    }
                }
            }
            t[total++] = x;
        }
        return total;
    }
}
