using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLM.Templates;

namespace EdgeLM.Inference.Chat;

/// <summary>
/// A conversation with a model: messages rendered by the model's own chat template (or the ChatML fallback),
/// tokenized with special tokens, and run on one <see cref="InferenceSession"/> whose KV cache keeps earlier
/// turns, so each turn only processes the tokens added since the last one. When the conversation outgrows the
/// context window the oldest turns are dropped (the system message stays) and <see cref="TurnsDropped"/> says so.
/// </summary>
public sealed class ChatSession
{
    private readonly List<ChatMessage> _messages = new();
    private readonly ChatTemplate _template;
    private string? _system;

    public ChatSession(InferenceSession session, ChatTemplate? template = null, string? system = null)
    {
        Session = session;
        _template = template ?? TemplateFor(session.Model);
        _system = system;
    }

    public InferenceSession Session { get; }

    public IReadOnlyList<ChatMessage> Messages => _messages;

    public string? System => _system;

    /// <summary>Called with the number of messages dropped to fit the context.</summary>
    public event Action<int>? TurnsDropped;

    /// <summary>Prompt tokens of the last turn, and how many of them were actually evaluated (the rest came from the cache).</summary>
    public int LastPromptTokens { get; private set; }

    public int LastPromptEvaluated { get; private set; }

    /// <summary>The model's template (tokenizer.chat_template), or ChatML when it has none.</summary>
    public static ChatTemplate TemplateFor(Model model)
    {
        string? source = model.Metadata.GetStringOrNull("tokenizer.chat_template");
        return source is null ? ChatTemplate.ChatMlFallback : new ChatTemplate(source, "tokenizer.chat_template");
    }

    public void Reset()
    {
        _messages.Clear();
        Session.Reset();
    }

    public void SetSystem(string? system) => _system = string.IsNullOrEmpty(system) ? null : system;

    /// <summary>The prompt text for the conversation so far plus the generation prompt.</summary>
    public string Render(IReadOnlyList<ChatMessage> messages)
    {
        var all = new List<ChatMessage>();
        if (_system is not null)
            all.Add(new ChatMessage("system", _system));
        all.AddRange(messages);
        var tk = Session.Model.Tokenizer;
        string? bos = tk.BosId is { } b ? tk.TokenText(b) : null;
        string? eos = tk.EosId is { } e ? tk.TokenText(e) : null;
        return _template.Apply(all, addGenerationPrompt: true, bos, eos);
    }

    /// <summary>Adds the user's message, generates the reply (streamed to <paramref name="onText"/>) and keeps it.</summary>
    public GenerationResult Send(string user, GenerationOptions options, Action<string>? onText = null, CancellationToken cancellation = default)
    {
        _messages.Add(new ChatMessage("user", user));
        int reserve = options.MaxTokens < 0 ? Session.ContextLength / 4 : Math.Min(options.MaxTokens, Session.ContextLength / 2);
        int[] prompt;
        int dropped = 0;
        while (true)
        {
            prompt = PromptEncoding.Encode(Session.Model.Tokenizer, Render(_messages), parseSpecial: true);
            if (prompt.Length + reserve <= Session.ContextLength)
                break;
            if (_messages.Count <= 1)
            {
                _messages.RemoveAt(_messages.Count - 1);
                throw new ContextOverflowException(prompt.Length + reserve, Session.ContextLength);
            }
            // Drop the oldest exchange (user + assistant) and try again.
            int n = _messages.Count >= 3 ? 2 : 1;
            _messages.RemoveRange(0, n);
            dropped += n;
        }
        if (dropped > 0)
            TurnsDropped?.Invoke(dropped);
        var result = new TextGenerator(Session).Generate(prompt, options, onText, cancellation);
        LastPromptTokens = prompt.Length;
        LastPromptEvaluated = result.Timings.PromptTokensEvaluated;
        _messages.Add(new ChatMessage("assistant", result.Text));
        return result;
    }

    /// <summary>Saves the system prompt and messages as JSON.</summary>
    public void Save(string path)
    {
        var root = new JsonObject
        {
            ["system"] = _system,
            ["messages"] = new JsonArray(_messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
        };
        string temp = path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Loads a conversation saved by <see cref="Save"/>; the cache is reused where the prefix matches.</summary>
    public void Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a saved conversation: {e.Message}");
        }
        var messages = new List<ChatMessage>();
        if (root?["messages"] is not JsonArray arr)
            throw new InvalidDataException($"{path} has no \"messages\" array");
        foreach (var m in arr)
        {
            string? role = m?["role"]?.GetValue<string>(), content = m?["content"]?.GetValue<string>();
            if (role is null)
                throw new InvalidDataException($"{path}: a message has no role");
            messages.Add(new ChatMessage(role, content));
        }
        _system = root["system"]?.GetValue<string>();
        _messages.Clear();
        _messages.AddRange(messages);
    }
}
