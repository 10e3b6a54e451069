using Marketplace.Benchmarks;

// Commands: tune | compare-sklearn | speed [--scale 1.0] | memory [--scale 1.0] | profile. Run from the repository root, in Release.
var command = args.FirstOrDefault() ?? "help";
var root = EvalSet.FindRoot();
return command switch
{
    "tune" => Tune.Run(root),
    "compare-sklearn" => SklearnComparison.Run(root),
    "speed" => SpeedBenchmark.Run(root, args.Skip(1).ToArray()),
    "profile" => Profile.Run(),
    "memory" => MemoryProbe.Run(args.Skip(1).ToArray()),
    _ => Help(),
};

static int Help()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Marketplace.Benchmarks -- tune | compare-sklearn | speed [--scale S] | memory [--scale S] | profile");
    return 2;
}
