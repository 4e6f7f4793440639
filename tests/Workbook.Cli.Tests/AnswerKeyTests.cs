using System.Text.RegularExpressions;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;
using Workbook.Host;

namespace Workbook.Cli.Tests;

/// <summary>The instructor's answer keys (notebooks/answers) answer every exercise of their lesson and run; the
/// exercises that ask for a rerun run as written; <c>run</c> leaves the keys out of the book unless asked.</summary>
public sealed partial class AnswerKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-answers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static WorkbookLayout Layout => WorkbookLayout.Find(AppContext.BaseDirectory);

    [GeneratedRegex(@"^(\d+)\. \*", RegexOptions.Multiline)]
    private static partial Regex ExerciseItem();

    [GeneratedRegex(@"^### Exercise (\d+) ", RegexOptions.Multiline)]
    private static partial Regex AnswerHeading();

    private static List<int> Numbers(Regex regex, IEnumerable<string> texts) =>
        texts.SelectMany(t => regex.Matches(t).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

    [Fact]
    public void Each_answer_key_answers_every_exercise_of_its_lesson_in_order()
    {
        var keys = Layout.AnswerKeys();
        Assert.True(keys.Count >= 5, "lessons 00-04 have answer keys; found: " + string.Join(", ", keys.Select(Path.GetFileName)));
        foreach (string key in keys)
        {
            string lesson = Path.Combine(Layout.NotebooksDirectory, WorkbookLayout.AnswerKeyLesson(Path.GetFileName(key)));
            Assert.True(File.Exists(lesson), $"{Path.GetFileName(key)} answers a lesson that does not exist");
            string exercises = string.Concat(IpynbDocument.Load(lesson).Cells.Where(c => !c.IsCode).Select(c => c.Source))
                .Split("## Exercises", 2)[1].Split("**Next:**", 2)[0];
            var asked = Numbers(ExerciseItem(), [exercises]);
            var answered = Numbers(AnswerHeading(), IpynbDocument.Load(key).Cells.Where(c => !c.IsCode).Select(c => c.Source));
            Assert.True(asked.Count > 0, $"{Path.GetFileName(lesson)} has no numbered exercises");
            Assert.Equal(asked, answered);
            Assert.True(IpynbDocument.Load(key).Cells.Count(c => c.IsCode && c.Source.Contains("Claim.", StringComparison.Ordinal)) >= asked.Count,
                $"{Path.GetFileName(key)}: every answer has a check");
        }
    }

    [Fact]
    public void The_answer_keys_run_without_error()
    {
        var r = CliRunner.Run(_dir, LessonPropertyTests.NoImages(_dir), "run", Layout.AnswersDirectory, "--out", Path.Combine(_dir, "out"));

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Equal(Layout.AnswerKeys().Count, Directory.EnumerateFiles(Path.Combine(_dir, "out"), "*.ipynb").Count());
    }

    /// <summary>The exercises that ask for a rerun with other parameters, as their text says.</summary>
    public static TheoryData<string, string[]> Reruns() => new()
    {
        { "00_start-here.ipynb", ["maxOutcomes=1024"] },                      // exercise 3
        { "01_entropy-thought-experiment.ipynb", ["p=0.2,0.3,0.5", "N=8001"] }, // exercise 3
        { "02_simulating-draws.ipynb", ["p=0.25,0.25,0.25,0.25"] },           // exercise 1
        { "02_simulating-draws.ipynb", ["seed=7"] },                          // exercise 2
        { "02_simulating-draws.ipynb", ["epsilon=0.025"] },                   // exercise 3
        { "02_simulating-draws.ipynb", ["p=0.0001,0.9999"] },                 // exercise 4
        { "04_cross-entropy-is-code-length.ipynb", ["q=0.5,0.5,0,0"] },       // exercise 2
        { "06_binary-cross-entropy.ipynb", ["threshold=0.2"] },               // exercise 5
        { "06_binary-cross-entropy.ipynb", ["threshold=0.8"] },               // exercise 5
        { "07_training-with-cross-entropy.ipynb", ["epochs=3"] },             // exercise 1
        { "07_training-with-cross-entropy.ipynb", ["labelSmoothing=0.3"] },   // exercise 2
        { "07_training-with-cross-entropy.ipynb", ["batchSize=8"] },          // exercise 3
        { "07_training-with-cross-entropy.ipynb", ["batchSize=256"] },        // exercise 3
    };

    [Theory]
    [MemberData(nameof(Reruns))]
    public void An_exercise_that_asks_for_a_rerun_runs_as_written(string lesson, string[] assignments)
    {
        var args = new List<string> { "run", Path.Combine(Layout.NotebooksDirectory, lesson), "--out", Path.Combine(_dir, "out") };
        foreach (string a in assignments)
        {
            args.Add("--set");
            args.Add(a);
        }

        var r = CliRunner.Run(_dir, LessonPropertyTests.NoImages(_dir), [.. args]);

        Assert.True(r.ExitCode == 0, $"{lesson} {string.Join(" ", assignments)}:\n{r.StdOut}{r.StdErr}");
    }

    [Fact]
    public void Run_leaves_the_answer_keys_out_of_the_book_unless_asked()
    {
        var plain = CliRunner.Run(Layout.Root, "run", "--list-parameters");
        var withAnswers = CliRunner.Run(Layout.Root, "run", "--list-parameters", "--answers");

        Assert.Equal(0, plain.ExitCode);
        Assert.DoesNotContain(".answers.ipynb", plain.StdOut);
        var names = withAnswers.StdOut.Split('\n').Where(l => l.Contains(".ipynb:", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).ToList();
        int lesson = names.IndexOf("01_entropy-thought-experiment.ipynb");
        Assert.True(lesson >= 0, withAnswers.StdOut);
        Assert.Equal("01_entropy-thought-experiment.answers.ipynb", names[lesson + 1]);
    }
}
