using System.CommandLine;
using EdgeLM.ModelStore;

namespace EdgeLM.Cli;

/// <summary>`edgelm rm MODEL`: deletes a stored model (all its shards); never a file outside the store.</summary>
public static class RmCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "a stored model name (model:tag), as `edgelm list` shows it" };
        var command = new Command("rm", "Remove a model from the local model store");
        command.Arguments.Add(model);
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetValue(model)!)));
        return command;
    }

    private static int Run(string nameOrPath)
    {
        var store = ModelStore.ModelStore.Default();
        var resolved = new ModelResolver(store).ResolveModel(nameOrPath);
        if (resolved.Stored is null || !store.IsInside(resolved.Path))
            throw new UserFacingException($"{resolved.Path} is not in the model store ({store.Root}); `edgelm rm` removes stored models only");
        store.Remove(resolved.Stored);
        Console.WriteLine($"removed {resolved.DisplayName}");
        return 0;
    }
}
