using EdgeLM.Inference.Architectures;

namespace EdgeLM.Inference.Compute;

/// <summary>
/// Rotary position embedding as ggml_rope_ext computes it (no YaRN extrapolation): θ_i = p·base^(−2i/n) built by
/// repeated float multiplication, divided by the optional per-dimension frequency factor, times freq_scale;
/// NORM rotates adjacent pairs (e[2i], e[2i+1]), NEOX rotates (e[i], e[i + n/2]); dimensions past n are untouched.
/// </summary>
public sealed unsafe class Rope
{
    private readonly int _dims;
    private readonly float _thetaScale;
    private readonly float _freqScale;
    private readonly float[]? _freqFactors;
    private readonly RopeStyle _style;

    public Rope(int dims, float freqBase, float freqScale, float[]? freqFactors, RopeStyle style)
    {
        _dims = dims;
        _thetaScale = MathF.Pow(freqBase, -2.0f / dims);
        _freqScale = freqScale;
        _freqFactors = freqFactors;
        _style = style;
    }

    /// <summary>Fills cos/sin tables (length dims/2) for position <paramref name="pos"/>.</summary>
    public void Tables(int pos, Span<float> cos, Span<float> sin)
    {
        float thetaBase = pos;
        for (int i = 0; i < _dims / 2; i++)
        {
            float ff = _freqFactors is null ? 1.0f : _freqFactors[i];
            float theta = _freqScale * (thetaBase / ff);
            cos[i] = MathF.Cos(theta);
            sin[i] = MathF.Sin(theta);
            thetaBase *= _thetaScale;
        }
    }

    /// <summary>Rotates <paramref name="heads"/> consecutive heads of <paramref name="headDim"/> values in place.</summary>
    public void Apply(float* v, int heads, int headDim, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        int half = _dims / 2;
        for (int h = 0; h < heads; h++)
        {
            float* e = v + h * headDim;
            if (_style == RopeStyle.Normal)
            {
                for (int i = 0; i < half; i++)
                {
                    float x0 = e[2 * i], x1 = e[2 * i + 1];
                    e[2 * i] = x0 * cos[i] - x1 * sin[i];
                    e[2 * i + 1] = x0 * sin[i] + x1 * cos[i];
                }
            }
            else
            {
                for (int i = 0; i < half; i++)
                {
                    float x0 = e[i], x1 = e[i + half];
                    e[i] = x0 * cos[i] - x1 * sin[i];
                    e[i + half] = x0 * sin[i] + x1 * cos[i];
                }
            }
        }
    }
}
