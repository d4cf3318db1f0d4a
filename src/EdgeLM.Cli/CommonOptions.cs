using System.CommandLine;
using EdgeLM.Inference;
using EdgeLM.Inference.Sampling;

namespace EdgeLM.Cli;

/// <summary>Options several verbs share, defined once so their names and help read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string?> Model() => new("--model", "-m")
    {
        Description = "GGUF model: a path, or a stored model name. Default: the built-in edgelm-tiny model.",
    };

    public static Option<int> Threads() => new("--threads", "-t")
    {
        Description = "Worker threads (default: one per core).",
        DefaultValueFactory = _ => 0,
    };

    public static Option<int> Context() => new("--ctx-size", "-c")
    {
        Description = "Context window in tokens (default: the model's training context, at most 4096).",
        DefaultValueFactory = _ => 0,
    };

    public static Option<string> KvType(string defaultValue) => new("--kv-type")
    {
        Description = $"KV cache element type: f16 or f32 (default {defaultValue}).",
        DefaultValueFactory = _ => defaultValue,
    };

    public static KvCacheType ParseKvType(string value) => value.ToLowerInvariant() switch
    {
        "f16" => KvCacheType.F16,
        "f32" => KvCacheType.F32,
        _ => throw new UserFacingException($"--kv-type must be f16 or f32, not '{value}'"),
    };

    /// <summary>The sampling options of run, chat and serve, with llama.cpp's defaults.</summary>
    public sealed class Sampling
    {
        public Option<float> Temperature { get; } = new("--temp") { Description = "Temperature; 0 = greedy (default 0.8).", DefaultValueFactory = _ => 0.8f };
        public Option<int> TopK { get; } = new("--top-k") { Description = "Keep the K most likely tokens; 0 = off (default 40).", DefaultValueFactory = _ => 40 };
        public Option<float> TopP { get; } = new("--top-p") { Description = "Nucleus sampling mass (default 0.95).", DefaultValueFactory = _ => 0.95f };
        public Option<float> MinP { get; } = new("--min-p") { Description = "Drop tokens below min-p × the best probability (default 0.05).", DefaultValueFactory = _ => 0.05f };
        public Option<float> RepeatPenalty { get; } = new("--repeat-penalty") { Description = "Penalty for recently seen tokens; 1 = off (default 1.0).", DefaultValueFactory = _ => 1.0f };
        public Option<float> FrequencyPenalty { get; } = new("--frequency-penalty") { Description = "Subtracted per occurrence (default 0).", DefaultValueFactory = _ => 0f };
        public Option<float> PresencePenalty { get; } = new("--presence-penalty") { Description = "Subtracted once if present (default 0).", DefaultValueFactory = _ => 0f };
        public Option<int?> Seed { get; } = new("--seed", "-s") { Description = "Random seed; the same seed gives the same output (default: random)." };

        public void AddTo(Command c)
        {
            foreach (Option o in new Option[] { Temperature, TopK, TopP, MinP, RepeatPenalty, FrequencyPenalty, PresencePenalty, Seed })
                c.Options.Add(o);
        }

        public SamplerOptions Read(ParseResult r)
        {
            var o = new SamplerOptions
            {
                Temperature = r.GetValue(Temperature),
                TopK = r.GetValue(TopK),
                TopP = r.GetValue(TopP),
                MinP = r.GetValue(MinP),
                RepeatPenalty = r.GetValue(RepeatPenalty),
                FrequencyPenalty = r.GetValue(FrequencyPenalty),
                PresencePenalty = r.GetValue(PresencePenalty),
                Seed = r.GetValue(Seed),
            };
            o.Validate();
            return o;
        }
    }
}
