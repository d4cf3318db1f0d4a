using System.CommandLine;
using System.Text.Json;
using EdgeLM.Templates;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// <c>edgelm template render (--template FILE.jinja | -m MODEL.gguf) --vars VARS.json</c>:
/// renders a chat template with the variables of a JSON object and prints the result.
/// </summary>
public static class TemplateCommand
{
    /// <summary>
    /// Reads the GGUF metadata string tokenizer.chat_template from a model file (null when the model
    /// has none). The CLI wires this to EdgeLM.Gguf once that reader is merged.
    /// </summary>
    public static Func<string, string?>? ModelTemplateReader { get; set; }

    public static Command Create()
    {
        var templateOption = new Option<FileInfo?>("--template", "-t")
        {
            Description = "Jinja chat template file to render",
        };
        var modelOption = new Option<FileInfo?>("--model", "-m")
        {
            Description = "GGUF model whose tokenizer.chat_template is rendered",
        };
        var varsOption = new Option<FileInfo>("--vars")
        {
            Description = "JSON object whose members are the template variables (messages, add_generation_prompt, ...)",
            Required = true,
        };

        var render = new Command("render", "Render a chat template with variables from a JSON file");
        render.Options.Add(templateOption);
        render.Options.Add(modelOption);
        render.Options.Add(varsOption);
        render.SetAction(parseResult => Render(
            parseResult.GetValue(templateOption),
            parseResult.GetValue(modelOption),
            parseResult.GetValue(varsOption)!));

        var command = new Command("template", "Work with Jinja chat templates");
        command.Subcommands.Add(render);
        return command;
    }

    private static int Render(FileInfo? templateFile, FileInfo? modelFile, FileInfo varsFile)
    {
        try
        {
            if ((templateFile is null) == (modelFile is null))
                return Fail("give exactly one of --template FILE.jinja or -m MODEL.gguf");
            string source;
            string name;
            if (templateFile is not null)
            {
                source = File.ReadAllText(templateFile.FullName);
                name = templateFile.Name;
            }
            else
            {
                var reader = ModelTemplateReader;
                if (reader is null)
                    return Fail("reading templates from GGUF models is not available in this build; use --template FILE.jinja");
                source = reader(modelFile!.FullName) ?? throw new InvalidDataException($"{modelFile.Name} has no tokenizer.chat_template");
                name = modelFile.Name;
            }
            using var vars = JsonDocument.Parse(File.ReadAllText(varsFile.FullName));
            if (vars.RootElement.ValueKind != JsonValueKind.Object)
                return Fail($"{varsFile.Name}: the variables must be a JSON object");
            string output = Template.Parse(source, name).Render(vars.RootElement);
            Console.Out.Write(output);
            Console.Out.Flush();
            return 0;
        }
        catch (Exception e) when (e is TemplateException or IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message.ReplaceLineEndings(" "));
        return 1;
    }
}
