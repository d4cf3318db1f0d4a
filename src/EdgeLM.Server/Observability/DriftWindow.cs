namespace EdgeLM.Server.Observability;

/// <summary>
/// One statistic's two windows: the first N values ever seen (the reference, fixed once full) and the most recent
/// N (the live window, a ring). Not thread-safe: <see cref="DriftMonitor"/> locks around it.
/// </summary>
internal sealed class DriftWindow
{
    private readonly double[] _reference;
    private readonly double[] _live;
    private int _referenceCount, _liveCount, _next;
    private double[]? _sortedReference, _edges;

    public DriftWindow(int size)
    {
        _reference = new double[size];
        _live = new double[size];
    }

    public int ReferenceCount => _referenceCount;

    public int LiveCount => _liveCount;

    /// <summary>True once the reference window is full; PSI and KS are computed from then on.</summary>
    public bool Ready => _edges is not null;

    public double Psi { get; private set; } = double.NaN;

    public double Ks { get; private set; } = double.NaN;

    /// <summary>Whether PSI is above the threshold (a warning was logged when it went up).</summary>
    public bool Alerting { get; set; }

    public void Add(double value, int bins)
    {
        if (double.IsNaN(value))
            return;
        if (_referenceCount < _reference.Length)
            _reference[_referenceCount++] = value;
        _live[_next] = value;
        _next = (_next + 1) % _live.Length;
        _liveCount = Math.Min(_liveCount + 1, _live.Length);
        if (_edges is null && _referenceCount == _reference.Length)
        {
            _sortedReference = (double[])_reference.Clone();
            Array.Sort(_sortedReference);
            _edges = DriftMath.QuantileEdges(_sortedReference, bins);
        }
        if (_edges is not null)
        {
            Psi = DriftMath.Psi(_sortedReference, _edges, _live);
            Ks = DriftMath.KolmogorovSmirnov(_sortedReference, _live);
        }
    }
}
