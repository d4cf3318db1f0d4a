using System.CommandLine;
using System.Text;
using EdgeLM.Inference;
using EdgeLM.Inference.Chat;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm chat`: an interactive conversation in the terminal using the model's own chat template. With stdin not a
/// terminal it reads one user message per line and prints each reply on its own line, so it can be scripted.
/// </summary>
public static class ChatCommand
{
    private const string Help = "commands: /reset  /save FILE  /load FILE  /system TEXT  /exit  (Ctrl+C stops a reply)";

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var system = new Option<string?>("--system") { Description = "System prompt." };
        var n = new Option<int>("--n-predict", "-n") { Description = "Maximum tokens per reply; -1 = no limit (default 512).", DefaultValueFactory = _ => 512 };
        var ctx = CommonOptions.Context();
        var threads = CommonOptions.Threads();
        var kv = CommonOptions.KvType("f16");
        var verbose = new Option<bool>("--verbose") { Description = "After each reply, print on stderr how many prompt tokens were processed and how many came from the cache." };
        var sampling = new CommonOptions.Sampling();
        var command = new Command("chat", "Chat with a model in the terminal, using its chat template. " + Help);
        foreach (Option o in new Option[] { model, system, n, ctx, threads, kv, verbose })
            command.Options.Add(o);
        sampling.AddTo(command);
        command.SetAction(r =>
        {
            var sampler = sampling.Read(r);
            bool interactive = !Console.IsInputRedirected;
            var (m, _) = ModelLoading.Load(r.GetValue(model), quiet: !interactive, r.GetValue(ctx), CommonOptions.ParseKvType(r.GetValue(kv)));
            using (m)
            {
                using var session = new InferenceSession(m, new SessionOptions
                {
                    ContextLength = r.GetValue(ctx),
                    Threads = r.GetValue(threads),
                    KvCacheType = CommonOptions.ParseKvType(r.GetValue(kv)),
                });
                var chat = new ChatSession(session, system: r.GetValue(system));
                chat.TurnsDropped += count => Console.Error.WriteLine($"[context full: dropped the {count} oldest message(s)]");
                var options = new GenerationOptions { MaxTokens = r.GetValue(n), Sampler = sampler };
                Loop(chat, options, interactive, r.GetValue(verbose));
            }
            return 0;
        });
        return command;
    }

    private static void Loop(ChatSession chat, GenerationOptions options, bool interactive, bool verbose)
    {
        var stdout = Console.OpenStandardOutput();
        var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        CancellationTokenSource? reply = null;
        Console.CancelKeyPress += (_, e) =>
        {
            // Ctrl+C during a reply stops the reply; at the prompt it ends the program.
            if (reply is { IsCancellationRequested: false })
            {
                e.Cancel = true;
                reply.Cancel();
            }
        };
        if (interactive)
            Console.Error.WriteLine($"EdgeLM chat with {chat.Session.Model.Name}. {Help}");
        while (true)
        {
            if (interactive)
                Console.Write("> ");
            string? line = stdin.ReadLine();
            if (line is null)
                break;
            if (line.Length == 0)
                continue;
            if (line.StartsWith('/'))
            {
                if (!Command(chat, line))
                    break;
                continue;
            }
            reply = new CancellationTokenSource();
            try
            {
                var result = chat.Send(line, options, piece =>
                {
                    stdout.Write(Encoding.UTF8.GetBytes(piece));
                    stdout.Flush();
                }, reply.Token);
                stdout.Write("\n"u8);
                stdout.Flush();
                if (result.StopReason == StopReason.Cancelled)
                    Console.Error.WriteLine("[stopped]");
                if (verbose)
                    Console.Error.WriteLine($"[prompt: {chat.LastPromptTokens} tokens, {chat.LastPromptEvaluated} processed, {chat.LastPromptTokens - chat.LastPromptEvaluated} from cache; reply: {result.Tokens.Length} tokens, {result.Timings.TokensPerSecond:F1} tok/s]");
            }
            catch (ContextOverflowException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
            }
            finally
            {
                reply.Dispose();
                reply = null;
            }
        }
    }

    /// <summary>Runs a slash command; false means exit.</summary>
    private static bool Command(ChatSession chat, string line)
    {
        int space = line.IndexOf(' ');
        string verb = space < 0 ? line : line[..space];
        string arg = space < 0 ? "" : line[(space + 1)..].Trim();
        try
        {
            switch (verb)
            {
                case "/exit":
                case "/quit":
                    return false;
                case "/reset":
                    chat.Reset();
                    Console.Error.WriteLine("[conversation cleared]");
                    break;
                case "/system":
                    chat.SetSystem(arg);
                    Console.Error.WriteLine(arg.Length == 0 ? "[system prompt removed]" : "[system prompt set]");
                    break;
                case "/save":
                    if (arg.Length == 0) throw new UserFacingException("/save needs a file name");
                    chat.Save(arg);
                    Console.Error.WriteLine($"[saved to {arg}]");
                    break;
                case "/load":
                    if (arg.Length == 0) throw new UserFacingException("/load needs a file name");
                    chat.Load(arg);
                    Console.Error.WriteLine($"[loaded {chat.Messages.Count} messages from {arg}]");
                    break;
                default:
                    Console.Error.WriteLine($"unknown command {verb}; {Help}");
                    break;
            }
        }
        catch (Exception e) when (e is UserFacingException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
        }
        return true;
    }
}
