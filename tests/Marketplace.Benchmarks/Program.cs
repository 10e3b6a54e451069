using Marketplace.Benchmarks;

// Commands: tune | compare-sklearn | speed [--scale 1.0] | memory [--scale 1.0] | profile | assign [--proposals 500 --reviewers 150 --k 3 --cap C --forbidden 0.05 --seed 1 --runs 11]. Run from the repository root, in Release.
var command = args.FirstOrDefault() ?? "help";
var root = EvalSet.FindRoot();
return command switch
{
    "tune" => Tune.Run(root),
    "compare-sklearn" => SklearnComparison.Run(root),
    "speed" => SpeedBenchmark.Run(root, args.Skip(1).ToArray()),
    "profile" => Profile.Run(),
    "memory" => MemoryProbe.Run(args.Skip(1).ToArray()),
    "assign" => AssignmentBenchmark.Run(args.Skip(1).ToArray()),
    _ => Help(),
};

static int Help()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Marketplace.Benchmarks -- tune | compare-sklearn | speed [--scale S] | memory [--scale S] | profile | assign [--proposals N --reviewers N --k K --cap C --forbidden F --seed S --runs R]");
    return 2;
}
