using System.Text.Json.Nodes;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>
/// Small task packs in the prompt formats edgelm-tiny was trained on (plain completion, no chat template):
/// arithmetic "Q: a+b=" → "c", JSON extraction "Text: ... JSON:" → " {...}", sentiment "Review: ... Sentiment:" →
/// " positive"/" negative". The examples are our own, written for EdgeLM; they are not the held-out eval sets.
/// </summary>
public static class BuiltInPacks
{
    public static IReadOnlyList<string> Names { get; } = ["arithmetic", "json", "sentiment"];

    public static IReadOnlyList<TaskPack> All() => Names.Select(Get).ToArray();

    public static TaskPack Get(string name) => name switch
    {
        "arithmetic" => Arithmetic(),
        "json" => Json(),
        "sentiment" or "classification" => Sentiment(),
        _ => throw new KeyNotFoundException($"no built-in task pack '{name}' (built-in: {string.Join(", ", Names)})"),
    };

    private static TaskPack Arithmetic()
    {
        (int A, char Op, int B)[] sums =
        [
            (12, '+', 7), (250, '+', 5), (731, '+', 2), (48, '-', 6), (905, '-', 4), (377, '+', 21),
            (66, '-', 13), (512, '+', 9), (140, '-', 40), (823, '+', 11), (299, '-', 8), (45, '+', 45),
        ];
        var examples = sums.Select(s => new TaskExample($"Q: {s.A}{s.Op}{s.B}=", (s.Op == '+' ? s.A + s.B : s.A - s.B).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        return new TaskPack("arithmetic", examples, [new NumericScorer(0)], MaxTokens: 8);
    }

    private static TaskPack Json()
    {
        (string Text, string Name, int Age, string City)[] people =
        [
            ("Marco is 35 years old and lives in Oslo.", "Marco", 35, "Oslo"),
            ("In Lisbon, Hana (41) works as a teacher.", "Hana", 41, "Lisbon"),
            ("Ivan lives in Seoul and is 27 years old.", "Ivan", 27, "Seoul"),
            ("Elena, aged 58, moved to Dublin last year.", "Elena", 58, "Dublin"),
            ("Omar is 44 years old and lives in Geneva.", "Omar", 44, "Geneva"),
            ("In Prague, Chloe (30) works as a nurse.", "Chloe", 30, "Prague"),
            ("Felix lives in Lima and is 66 years old.", "Felix", 66, "Lima"),
            ("Nadia, aged 23, moved to Munich last year.", "Nadia", 23, "Munich"),
            ("Lars is 71 years old and lives in Athens.", "Lars", 71, "Athens"),
            ("In Toronto, Mei (39) works as a pilot.", "Mei", 39, "Toronto"),
            ("Diego lives in Helsinki and is 52 years old.", "Diego", 52, "Helsinki"),
            ("Olga, aged 29, moved to Nairobi last year.", "Olga", 29, "Nairobi"),
        ];
        var examples = people.Select(p => new TaskExample($"Text: {p.Text} JSON:",
            $" {{\"name\":\"{p.Name}\",\"age\":{p.Age},\"city\":\"{p.City}\"}}")).ToArray();
        var schema = JsonNode.Parse("""
            {"type":"object","required":["name","age","city"],
             "properties":{"name":{"type":"string"},"age":{"type":"integer"},"city":{"type":"string"}}}
            """)!;
        return new TaskPack("json", examples, [new JsonSchemaScorer(schema), new ExactScorer()], MaxTokens: 40);
    }

    private static TaskPack Sentiment()
    {
        (string Review, bool Positive)[] reviews =
        [
            ("the soup was great", true), ("the hotel was awful", false), ("the train was not comfortable", false),
            ("honestly, the bread was not bland at all", true), ("the laptop was slow", false), ("the garden was fresh", true),
            ("the waiter was rude but the tea was good", true), ("i thought the show was really boring", false),
            ("the music was friendly and great", true), ("the bed was not good", false), ("the cake was tasty", true),
            ("the bus was great but the driver was rude", false),
        ];
        var examples = reviews.Select(r => new TaskExample($"Review: {r.Review}. Sentiment:", r.Positive ? " positive" : " negative")).ToArray();
        return new TaskPack("sentiment", examples, [new ExactScorer()], MaxTokens: 4);
    }
}
