using Workbook.Core;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;
using Workbook.Host;
using Workbook.Host.Parameters;

namespace Workbook.Cli.Tests;

/// <summary>Property tests over the lessons: every lesson that declares its parameters' domains runs to the end
/// with random parameter sets drawn from those domains, and with fixed edge sets (uniform, certain and rare
/// distributions, q = p, q with a zero where p &gt; 0, every number at its smallest and at its largest). Each set
/// runs through <c>run --set</c>, as a student's rerun would.</summary>
/// <remarks><c>WORKBOOK_PROPERTY_RUNS</c> sets the number of random sets per lesson (default 2; 200 for a long
/// run) and <c>WORKBOOK_PROPERTY_SEED</c> their seed (default 14).</remarks>
public sealed class LessonPropertyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-property-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int RandomRuns =>
        int.TryParse(Environment.GetEnvironmentVariable("WORKBOOK_PROPERTY_RUNS"), out int n) && n >= 0 ? n : 2;

    private static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("WORKBOOK_PROPERTY_SEED"), out int s) ? s : 14;

    /// <summary>The lessons whose parameters cell declares domains, read from the files.</summary>
    public static TheoryData<string> LessonsWithDomains() => new(LessonNames());

    private static List<string> LessonNames() =>
        WorkbookLayout.Find(AppContext.BaseDirectory).Lessons()
            .Where(path => ParametersCell.Find(IpynbDocument.Load(path))?.Domains is not null)
            .Select(path => Path.GetFileName(path))
            .ToList();

    private static ParametersCell CellOf(string lesson) =>
        ParametersCell.Find(IpynbDocument.Load(Path.Combine(WorkbookLayout.Find(AppContext.BaseDirectory).NotebooksDirectory, lesson)))!;

    /// <summary>The fixed edge sets of a lesson: set j gives each vector parameter its j-th edge (uniform, certain,
    /// rare, equal to the vector it follows, zero where that one is positive) and each number its smallest value
    /// (j = 0) or its largest (j = 1); everything else keeps its default.</summary>
    internal static List<Dictionary<string, object?>> EdgeSets(ParametersCell cell)
    {
        var domains = cell.Domains!;
        var defaults = cell.Values([]);
        bool IsVector(ParameterDomain d) => d is ProbabilityVectorDomain or VectorDomain;
        int count = Math.Max(2, domains.Domains.Where(IsVector).Select(d => d.Edges(defaults).Count).DefaultIfEmpty(0).Max());
        var sets = new List<Dictionary<string, object?>>();
        for (int j = 0; j < count; j++)
        {
            var set = new Dictionary<string, object?>(defaults, StringComparer.Ordinal);
            foreach (var d in domains.Domains)
            {
                var edges = d.Edges(set);
                if (IsVector(d))
                {
                    set[d.Name] = j < edges.Count ? edges[j] : set[d.Name];
                }
                else if (j < 2)
                {
                    set[d.Name] = j == 0 ? edges[0] : edges[^1];
                }
                else if (d.Problem(set[d.Name], set) is not null)
                {
                    set[d.Name] = edges[0];   // e.g. a default index that a shorter vector no longer has
                }
            }

            domains.Check(set);
            sets.Add(set);
        }

        return sets;
    }

    internal static List<Dictionary<string, object?>> RandomSets(ParametersCell cell, string lesson, int runs, int seed)
    {
        var random = new Random(HashCode.Combine(seed, StableHash(lesson)));
        return Enumerable.Range(0, runs).Select(_ => new Dictionary<string, object?>(cell.Domains!.Sample(random))).ToList();
    }

    private static int StableHash(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c));

    [Theory]
    [MemberData(nameof(LessonsWithDomains))]
    public async Task Lesson_runs_to_the_end_for_its_edge_sets_and_random_parameter_sets(string lesson)
    {
        var cell = CellOf(lesson);
        var sets = EdgeSets(cell).Select(s => ("edge", s))
            .Concat(RandomSets(cell, lesson, RandomRuns, Seed).Select(s => ("random", s)))
            .ToList();
        using var gate = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount));
        var failures = await Task.WhenAll(sets.Select(async (entry, i) =>
        {
            await gate.WaitAsync();
            try
            {
                return await Task.Run(() => RunOnce(lesson, entry.Item1, entry.Item2, i));
            }
            finally
            {
                gate.Release();
            }
        }));

        var failed = failures.Where(f => f is not null).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {sets.Count} parameter sets fail {lesson}:\n" + string.Join("\n\n", failed));
    }

    private string? RunOnce(string lesson, string kind, Dictionary<string, object?> set, int index)
    {
        string path = Path.Combine(WorkbookLayout.Find(AppContext.BaseDirectory).NotebooksDirectory, lesson);
        var args = new List<string> { "run", path, "--out", Path.Combine(_dir, $"{Path.GetFileNameWithoutExtension(lesson)}-{index}") };
        foreach (var (name, value) in set)
        {
            args.Add("--set");
            args.Add($"{name}={ParameterDomain.Show(value)}");
        }

        var r = CliRunner.Run(_dir, NoImages(_dir), [.. args]);
        if (r.ExitCode == 0)
        {
            return null;
        }

        string parameters = string.Join(" ", set.Select(kv => $"{kv.Key}={ParameterDomain.Show(kv.Value)}"));
        return $"{lesson} with {kind} parameters {parameters} (exit {r.ExitCode}):\n{Tail(r.StdOut + r.StdErr, 3000)}";
    }

    /// <summary>These runs check the lessons' code, not the static chart images: without a chromium to start, the
    /// charts keep their interactive HTML and each run saves the browser's start.</summary>
    internal static Dictionary<string, string> NoImages(string dir) => new() { ["WORKBOOK_CHROMIUM"] = Path.Combine(dir, "no-chromium") };

    private static string Tail(string s, int n) => s.Length <= n ? s : "..." + s[^n..];

    [Fact]
    public void Edge_sets_cover_uniform_certain_rare_equal_and_zeroed_models_and_the_bounds_of_every_number()
    {
        var doc = IpynbDocument.Load(Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Fixtures", "parameters-domains.ipynb"));
        var sets = EdgeSets(ParametersCell.Find(doc)!);

        Assert.Equal(5, sets.Count);
        Assert.Equal(new[] { 1.0 / 3, 1.0 / 3, 1.0 / 3 }, sets[0]["p"]);
        Assert.Equal(new[] { 1.0, 0, 0 }, sets[1]["p"]);
        Assert.Equal(1e-4, ((double[])sets[2]["p"]!)[0]);
        Assert.Equal(new[] { 0.5, 0.25, 0.25 }, sets[3]["q"]);          // q = p (p back at its default)
        Assert.Equal(new[] { 0.0, 0.75, 0.25 }, sets[4]["q"]);          // q = 0 where p > 0
        Assert.Equal(10L, sets[0]["N"]);
        Assert.Equal(1_000_000L, sets[1]["N"]);
        Assert.Equal(0.0, sets[0]["smoothing"]);
    }

    [Fact]
    public void Random_sets_are_drawn_from_the_domains_and_are_the_same_for_a_seed()
    {
        foreach (string lesson in LessonNames())
        {
            var cell = CellOf(lesson);
            var a = RandomSets(cell, lesson, 20, 3);
            var b = RandomSets(cell, lesson, 20, 3);
            foreach (var set in a)
            {
                cell.Domains!.Check(set);
            }

            Assert.Equal(a.Select(s => string.Join(";", s.Select(kv => ParameterDomain.Show(kv.Value)))),
                         b.Select(s => string.Join(";", s.Select(kv => ParameterDomain.Show(kv.Value)))));
        }
    }
}
