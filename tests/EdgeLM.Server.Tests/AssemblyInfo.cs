[assembly: AssemblyFixture(typeof(EdgeLM.Server.Tests.SharedServer))]
// The tests share one server and check that its slots end up free; running them one at a time keeps that check
// meaningful (and the 2-core CI machine uncrowded).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
