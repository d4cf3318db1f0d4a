using System.CommandLine;
using System.Globalization;
using EdgeLM.ModelStore;
using Spectre.Console;

namespace EdgeLM.Cli;

/// <summary>`edgelm list`: the models in the store as a table.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the models in the local model store ($EDGELM_MODELS)");
        command.SetAction(_ => CliErrors.Run(Run));
        return command;
    }

    private static int Run()
    {
        var store = ModelStore.ModelStore.Default();
        var models = store.List();
        if (models.Count == 0)
        {
            Console.Error.WriteLine($"no models in {store.Root}; `edgelm pull hf.co/ORG/REPO:QUANT` adds one");
            return 0;
        }
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("NAME").AddColumn(new TableColumn("SIZE").RightAligned()).AddColumn("TYPE")
            .AddColumn(new TableColumn("PARAMETERS").RightAligned()).AddColumn("ARCHITECTURE").AddColumn("MODIFIED");
        foreach (var m in models)
        {
            string type, parameters, arch;
            try
            {
                var s = ModelSummary.Of(m.Path);
                (type, parameters, arch) = (s.FileType, ModelSummary.FormatParameters(s.Parameters), s.Architecture);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or EdgeLM.Gguf.GgufFormatException or EdgeLM.Gguf.GgufMetadataException)
            {
                // One damaged file must not hide the rest of the store.
                (type, parameters, arch) = ("?", "?", "unreadable: " + e.Message);
            }
            table.AddRow(Markup.Escape(m.Name.ToString()), ByteSize.Format(m.SizeBytes), Markup.Escape(type), parameters, Markup.Escape(arch),
                m.ModifiedUtc.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }
        var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        stdout.Profile.Width = Math.Max(stdout.Profile.Width, 120);
        stdout.Write(table);
        return 0;
    }
}
