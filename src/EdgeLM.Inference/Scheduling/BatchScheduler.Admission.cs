namespace EdgeLM.Inference.Scheduling;

public sealed partial class BatchScheduler
{
    /// <summary>Moves waiting requests into free slots, each into the slot whose cache shares most of its prompt.</summary>
    private void Admit()
    {
        while (_incoming.TryDequeue(out var incoming))
            _waiting.Add(incoming);
        while (_waiting.Count > 0)
        {
            var seq = _waiting[0];
            if (seq.Cancellation.IsCancellationRequested)
            {
                _waiting.RemoveAt(0);
                Interlocked.Decrement(ref _queued);
                Finish(seq, StopReason.Cancelled);
                continue;
            }
            int slot = PickSlot(seq.Request.Prompt, out int common);
            if (slot < 0)
                return;
            _waiting.RemoveAt(0);
            Interlocked.Decrement(ref _queued);
            var state = _slots[slot];
            // At least the last prompt token is always evaluated: its logits start the generation.
            common = Math.Min(common, seq.Request.Prompt.Length - 1);
            common = BorrowPrefix(slot, seq.Request.Prompt, common);
            state.Truncate(common);
            state.Busy = true;
            state.LastUsed = ++_useClock;
            seq.Slot = slot;
            seq.CachedPromptTokens = common;
            _active.Add(seq);
        }
    }

    private int PickSlot(ReadOnlySpan<int> prompt, out int common)
    {
        int best = -1;
        common = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            var s = _slots[i];
            if (s.Busy)
                continue;
            int c = s.CommonPrefix(prompt);
            if (best < 0 || c > common || (c == common && s.LastUsed < _slots[best].LastUsed))
            {
                best = i;
                common = c;
            }
        }
        return best;
    }

    /// <summary>
    /// When another slot (busy or not) holds a longer prefix of the prompt than <paramref name="slot"/>, copies
    /// those keys and values over: one memory copy per layer, cheaper than recomputing them. Positions of a slot
    /// are contiguous in the cache, and a busy slot never rewrites positions below its current length.
    /// </summary>
    private unsafe int BorrowPrefix(int slot, int[] prompt, int common)
    {
        int donor = -1, best = common;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (i == slot)
                continue;
            int c = Math.Min(_slots[i].CommonPrefix(prompt), prompt.Length - 1);
            if (c > best)
            {
                best = c;
                donor = i;
            }
        }
        if (donor < 0 || best - common < 16)
            return common;
        long bytes = (long)(best - common) * _cache.KvDim * _cache.ElementBytes;
        for (int l = 0; l < _cache.Layers; l++)
        {
            Buffer.MemoryCopy(_cache.Key(l, donor, common), _cache.Key(l, slot, common), bytes, bytes);
            Buffer.MemoryCopy(_cache.Value(l, donor, common), _cache.Value(l, slot, common), bytes, bytes);
        }
        _slots[slot].SetPrefix(prompt.AsSpan(0, best));
        return best;
    }

    private void DropCancelled()
    {
        foreach (var seq in _active.ToArray())
            if (seq.Cancellation.IsCancellationRequested)
                Finish(seq, StopReason.Cancelled);
    }

    /// <summary>Ends a sequence: releases the text held back, completes its channel and result, frees its slot.</summary>
    private void Finish(Sequence seq, StopReason reason)
    {
        if (seq.Finished)
            return;
        seq.Finished = true;
        if (reason != StopReason.StopString)
            seq.Text.Append(seq.Decoder.Flush());
        string trailing = seq.Text.Length > seq.Emitted ? seq.Text.ToString(seq.Emitted, seq.Text.Length - seq.Emitted) : "";
        if (trailing.Length > 0)
            seq.Output.Writer.TryWrite(new SequenceChunk(-1, trailing, 0, null));
        seq.Emitted = seq.Text.Length;
        Release(seq);
        seq.Output.Writer.TryComplete();
        seq.Completion.TrySetResult(new SequenceResult(seq.Text.ToString(), reason, seq.Request.Prompt.Length,
            seq.CachedPromptTokens, seq.Generated.ToArray(), trailing)
        {
            MeanLogprob = seq.Generated.Count > 0 ? seq.LogprobSum / seq.Generated.Count : double.NaN,
        });
    }

    private void Fail(Sequence seq, Exception error)
    {
        if (seq.Finished)
            return;
        seq.Finished = true;
        if (seq.Slot >= 0)
            _slots[seq.Slot].Truncate(0);
        Release(seq);
        seq.Output.Writer.TryComplete(error);
        seq.Completion.TrySetException(error);
    }

    private void Release(Sequence seq)
    {
        _active.Remove(seq);
        if (seq.Slot >= 0)
        {
            _slots[seq.Slot].Busy = false;
            _slots[seq.Slot].LastUsed = ++_useClock;
        }
    }
}
