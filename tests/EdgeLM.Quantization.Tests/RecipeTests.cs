using System.Text.Json;
using EdgeLM.Gguf;
using EdgeLM.Quantization.Recipes;
using EdgeLM.TestSupport;

namespace EdgeLM.Quantization.Tests;

public sealed class RecipeTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.File("quant", "recipes.json")));
        foreach (var model in doc.RootElement.GetProperty("models").EnumerateObject())
        {
            foreach (var recipe in model.Value.GetProperty("recipes").EnumerateObject())
            {
                data.Add(model.Name, recipe.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recipe_gives_every_tensor_the_type_llama_quantize_chose(string modelName, string recipeName)
    {
        var (shape, tensors) = LoadShapes(modelName);
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.File("quant", "recipes.json")));
        var expected = doc.RootElement.GetProperty("models").GetProperty(modelName).GetProperty("recipes").GetProperty(recipeName);
        var recipe = QuantRecipeInfo.Parse(recipeName);

        var plan = QuantRecipes.Plan(shape, tensors, recipe);

        var expectedOrder = expected.GetProperty("tensors").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToList();
        var actual = plan.Select(p => (p.Name, GgmlTypes.Info(p.TargetType).Name.ToLowerInvariant())).ToList();
        Assert.Equal(expectedOrder.Count, actual.Count);
        for (int i = 0; i < actual.Count; i++)
        {
            Assert.Equal(expectedOrder[i].Item1, actual[i].Item1);
            Assert.True(string.Equals(expectedOrder[i].Item2, actual[i].Item2, StringComparison.OrdinalIgnoreCase),
                $"{modelName} {recipeName} {actual[i].Item1}: expected {expectedOrder[i].Item2}, got {actual[i].Item2}");
        }
        Assert.Equal(expected.GetProperty("ftype").GetInt32(), QuantRecipeInfo.FileType(recipe));
        long bytes = plan.Sum(p => new GgufTensorInfo(p.Name, p.Tensor.Dimensions, p.TargetType, 0).ByteSize);
        Assert.Equal(expected.GetProperty("quant_size_bytes").GetInt64(), bytes);
    }

    [Fact]
    public void Pure_gives_every_quantizable_tensor_the_base_type_and_keeps_1d_tensors_f32()
    {
        var (shape, tensors) = LoadShapes("Llama-3.2-1B");
        var plan = QuantRecipes.Plan(shape, tensors, QuantRecipe.Q4_K_M, new RecipeOptions { Pure = true });
        foreach (var p in plan)
        {
            var expected = p.Tensor.Dimensions.Length == 1 ? GgmlType.F32 : GgmlType.Q4_K;
            Assert.Equal(expected, p.TargetType);
        }
    }

    [Theory]
    [InlineData(GgmlType.Q4_K, 1024 + 32, GgmlType.Q5_0)]
    [InlineData(GgmlType.Q5_K, 96, GgmlType.Q5_1)]
    [InlineData(GgmlType.Q6_K, 3072 + 64, GgmlType.Q8_0)]
    [InlineData(GgmlType.Q2_K, 32, GgmlType.Q4_0)]
    [InlineData(GgmlType.Q3_K, 48, GgmlType.F16)]
    [InlineData(GgmlType.Q4_K, 512, GgmlType.Q4_K)]
    public void Row_length_not_a_multiple_of_the_block_falls_back_like_llama_cpp(GgmlType chosen, long rowLength, GgmlType expected)
    {
        Assert.Equal(expected, QuantRecipes.Fallback(chosen, rowLength));
    }

    [Fact]
    public void Fallback_applies_to_a_tensor_whose_rows_do_not_fit_the_k_quant_block()
    {
        var model = new ModelShape("llama", 1, 4, 4);
        var tensors = new[]
        {
            new TensorShape("token_embd.weight", [96, 100], GgmlType.F16),
            new TensorShape("blk.0.attn_q.weight", [96, 96], GgmlType.F16),
            new TensorShape("blk.0.attn_norm.weight", [96], GgmlType.F32),
        };
        var plan = QuantRecipes.Plan(model, tensors, QuantRecipe.Q4_K_M).ToDictionary(p => p.Name, p => p.TargetType);
        Assert.Equal(GgmlType.Q8_0, plan["token_embd.weight"]);
        Assert.Equal(GgmlType.Q5_0, plan["blk.0.attn_q.weight"]);
        Assert.Equal(GgmlType.F32, plan["blk.0.attn_norm.weight"]);
    }

    [Theory]
    [InlineData("q4_k_m", QuantRecipe.Q4_K_M)]
    [InlineData("Q8_0", QuantRecipe.Q8_0)]
    [InlineData("bf16", QuantRecipe.BF16)]
    public void Recipe_names_parse_case_insensitively(string name, QuantRecipe expected)
    {
        Assert.Equal(expected, QuantRecipeInfo.Parse(name));
    }

    [Fact]
    public void Unknown_recipe_name_is_rejected_with_the_accepted_names()
    {
        var e = Assert.Throws<ArgumentException>(() => QuantRecipeInfo.Parse("Q9_X"));
        Assert.Contains("Q9_X", e.Message);
        Assert.Contains("Q4_K_M", e.Message);
    }

    internal static (ModelShape, List<TensorShape>) LoadShapes(string modelName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.File("quant", "shapes.json")));
        var m = doc.RootElement.GetProperty("models").GetProperty(modelName);
        var d = m.GetProperty("derived");
        var shape = new ModelShape(m.GetProperty("arch").GetString()!, d.GetProperty("n_layer").GetInt32(),
            d.GetProperty("n_head").GetInt32(), d.GetProperty("n_head_kv").GetInt32());
        var tensors = new List<TensorShape>();
        foreach (var t in m.GetProperty("tensors").EnumerateArray())
        {
            long[] dims = t.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            Assert.True(GgmlTypes.TryParse(t.GetProperty("type").GetString()!, out var type));
            tensors.Add(new TensorShape(t.GetProperty("name").GetString()!, dims, type));
        }
        // Shuffle so the test also checks that the planner sorts into llama.cpp's processing order itself.
        tensors.Reverse();
        return (shape, tensors);
    }
}
