using EdgeLM.Inference.Sampling;

namespace EdgeLM.Inference.Scheduling;

public sealed partial class BatchScheduler
{
    private float[]? _masked;
    private int[]? _order;
    private float[]? _orderKeys;

    /// <summary>Picks the next token of a sequence from its logits and applies every stop condition.</summary>
    private void OnLogits(Sequence seq, ReadOnlySpan<float> logits)
    {
        var request = seq.Request;
        var tokenizer = Model.Tokenizer;
        int token;
        if (request.JsonObject)
        {
            if (seq.Grammar.IsComplete)
            {
                Finish(seq, StopReason.EndOfGeneration);
                return;
            }
            token = SampleJson(seq, logits);
            if (token < 0)
            {
                Finish(seq, StopReason.Length);
                return;
            }
        }
        else
            token = seq.Sampler.Sample(logits);

        if (request.Generation.StopAtEndOfGeneration && tokenizer.EndOfGenerationIds.Contains(token))
        {
            Finish(seq, StopReason.EndOfGeneration);
            return;
        }
        float logprob;
        TokenLogprob[]? top = null;
        if (request.TopLogprobs >= 0)
            (logprob, top) = Logprobs(logits, token, request.TopLogprobs);
        else
            logprob = ChosenLogprob(logits, token);
        seq.LogprobSum += logprob;
        seq.Generated.Add(token);
        seq.Sampler.Accept(token);
        int before = seq.Text.Length;
        seq.Text.Append(seq.Decoder.Push(token));
        var stops = request.Generation.StopStrings;
        if (StopStrings.Match(seq.Text, stops, before, out int cut))
        {
            seq.Text.Length = Math.Max(cut, seq.Emitted);
            Emit(seq, token, logprob, top, seq.Text.Length);
            Finish(seq, StopReason.StopString);
            return;
        }
        Emit(seq, token, logprob, top, seq.Text.Length - StopStrings.HeldBack(seq.Text, stops));
        if (request.JsonObject && seq.Grammar.IsComplete)
        {
            Finish(seq, StopReason.EndOfGeneration);
            return;
        }
        if (seq.Generated.Count >= seq.Limit)
        {
            Finish(seq, StopReason.Length);
            return;
        }
        if (_slots[seq.Slot].Count >= ContextLength)
        {
            Finish(seq, StopReason.ContextFull);
            return;
        }
        seq.Pending = token;
    }

    private static void Emit(Sequence seq, int token, float logprob, TokenLogprob[]? top, int safe)
    {
        string text = safe > seq.Emitted ? seq.Text.ToString(seq.Emitted, safe - seq.Emitted) : "";
        seq.Emitted = Math.Max(seq.Emitted, safe);
        seq.Output.Writer.TryWrite(new SequenceChunk(token, text, logprob, top));
    }

    /// <summary>Log-softmax of the chosen token alone (the mean over a reply is reported on its result).</summary>
    private static float ChosenLogprob(ReadOnlySpan<float> logits, int chosen)
    {
        float max = float.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z);
        double sum = 0;
        foreach (float z in logits) sum += MathF.Exp(z - max);
        return logits[chosen] - (max + (float)Math.Log(sum));
    }

    /// <summary>Log-softmax of the chosen token and the <paramref name="count"/> most likely ones.</summary>
    private static (float, TokenLogprob[]) Logprobs(ReadOnlySpan<float> logits, int chosen, int count)
    {
        float max = float.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z);
        double sum = 0;
        foreach (float z in logits) sum += Math.Exp(z - max);
        float lse = max + (float)Math.Log(sum);
        var top = new TokenLogprob[Math.Min(count, logits.Length)];
        int filled = 0;
        for (int id = 0; id < logits.Length && top.Length > 0; id++)
        {
            float v = logits[id];
            if (filled == top.Length && v <= top[filled - 1].Logprob)
                continue;
            int at = filled < top.Length ? filled++ : filled - 1;
            while (at > 0 && top[at - 1].Logprob < v)
            {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = new TokenLogprob(id, v);
        }
        for (int i = 0; i < top.Length; i++)
            top[i] = top[i] with { Logprob = top[i].Logprob - lse };
        return (logits[chosen] - lse, top);
    }

    /// <summary>
    /// Samples among the tokens that keep the output a prefix of one JSON object: candidates are tried from the
    /// most likely down until top-k of them (1 when greedy) pass the grammar; the rest are masked out. When the
    /// object is complete only an end-of-generation token is allowed. Returns -1 when no token fits.
    /// </summary>
    private int SampleJson(Sequence seq, ReadOnlySpan<float> logits)
    {
        var table = JsonTokenTable.For(Model.Tokenizer);
        _masked ??= new float[_vocab];
        _order ??= new int[_vocab];
        _orderKeys ??= new float[_vocab];
        for (int i = 0; i < _vocab; i++)
        {
            _order[i] = i;
            _orderKeys[i] = -logits[i];
        }
        Array.Sort(_orderKeys, _order);
        var options = seq.Sampler.Options;
        int want = options.IsGreedy ? 1 : options.TopK > 0 ? options.TopK : 64;
        Array.Fill(_masked, float.NegativeInfinity);
        int found = 0;
        for (int i = 0; i < _vocab && found < want; i++)
        {
            int id = _order[i];
            var piece = table.Pieces[id];
            if (piece is null)
                continue;
            var trial = seq.Grammar;
            if (!trial.Feed(piece))
                continue;
            _masked[id] = logits[id];
            found++;
        }
        if (found == 0)
            return -1;
        int token = seq.Sampler.Sample(_masked);
        if (float.IsNegativeInfinity(_masked[token]))
            token = Sampler.ArgMax(_masked);
        seq.Grammar.Feed(table.Pieces[token]!);
        return token;
    }
}
