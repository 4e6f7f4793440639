using System.Text.RegularExpressions;

namespace Workbook.Host.Running;

/// <summary>Where things are in a workbook checkout: the lessons, the data, the artifacts.</summary>
internal sealed partial class WorkbookLayout
{
    private WorkbookLayout(string root) => Root = root;

    /// <summary>The repository root (the folder holding Workbook.sln).</summary>
    public string Root { get; }

    /// <summary>notebooks/</summary>
    public string NotebooksDirectory => Path.Combine(Root, "notebooks");

    /// <summary>data/</summary>
    public string DataDirectory => Path.Combine(Root, "data");

    /// <summary>artifacts/ (git-ignored build output).</summary>
    public string ArtifactsDirectory => Path.Combine(Root, "artifacts");

    /// <summary>artifacts/notebooks: executed copies of the notebooks.</summary>
    public string ExecutedNotebooksDirectory => Path.Combine(ArtifactsDirectory, "notebooks");

    /// <summary>artifacts/book: the HTML book.</summary>
    public string BookDirectory => Path.Combine(ArtifactsDirectory, BookFolderName);

    private const string BookFolderName = "book";

    /// <summary>Where <c>run</c> writes the executed copies and the book. Given an output folder
    /// (<c>run --out DIR</c>), everything goes under it: the copies in DIR, the book in DIR/book. Without one, the
    /// checkout's artifacts/notebooks and artifacts/book (the checkout is looked up only then, with
    /// <paramref name="layout"/> or <see cref="Find"/>).</summary>
    /// <returns>Full paths of the two folders.</returns>
    public static (string Notebooks, string Book) RunOutputs(string? outputDirectory, WorkbookLayout? layout = null)
    {
        if (outputDirectory is not null)
        {
            string dir = Path.GetFullPath(outputDirectory);
            return (dir, Path.Combine(dir, BookFolderName));
        }

        var l = layout ?? Find();
        return (Path.GetFullPath(l.ExecutedNotebooksDirectory), Path.GetFullPath(l.BookDirectory));
    }

    /// <summary>Finds the checkout from <paramref name="start"/> (default: the current directory), then from
    /// the host's own location, walking up to the first folder with Workbook.sln.</summary>
    /// <exception cref="DirectoryNotFoundException">No Workbook.sln above either place.</exception>
    public static WorkbookLayout Find(string? start = null)
    {
        foreach (string from in new[] { start ?? Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Workbook.sln")))
                {
                    return new WorkbookLayout(dir.FullName);
                }
            }
        }

        throw new DirectoryNotFoundException(
            "cannot find the workbook checkout (a folder with Workbook.sln) above the current directory; " +
            "run from inside the repository or pass notebook paths explicitly");
    }

    /// <summary>The lessons, in order: notebooks/NN_*.ipynb. Files starting with '_' are not lessons.</summary>
    public IReadOnlyList<string> Lessons() =>
        Directory.Exists(NotebooksDirectory)
            ? Directory.EnumerateFiles(NotebooksDirectory, "*.ipynb")
                .Where(p => IsLessonName(Path.GetFileName(p)))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>notebooks/answers: the instructor's answer keys, one per lesson (<c>NN_name.answers.ipynb</c>).</summary>
    public string AnswersDirectory => Path.Combine(NotebooksDirectory, "answers");

    /// <summary>The answer keys, in lesson order: notebooks/answers/NN_name.answers.ipynb.</summary>
    public IReadOnlyList<string> AnswerKeys() =>
        Directory.Exists(AnswersDirectory)
            ? Directory.EnumerateFiles(AnswersDirectory, "*.answers.ipynb")
                .Where(p => IsLessonName(AnswerKeyLesson(Path.GetFileName(p))))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>The lesson file an answer key answers: <c>01_x.answers.ipynb</c> answers <c>01_x.ipynb</c>.</summary>
    public static string AnswerKeyLesson(string answerKeyFileName) =>
        answerKeyFileName.EndsWith(".answers.ipynb", StringComparison.Ordinal)
            ? answerKeyFileName[..^".answers.ipynb".Length] + ".ipynb"
            : answerKeyFileName;

    /// <summary>notebooks/homework: the instructors' assignment sources (solutions and hidden tests included).</summary>
    public string HomeworkDirectory => Path.Combine(NotebooksDirectory, "homework");

    /// <summary>The assignment sources, in order: notebooks/homework/*.ipynb, without files starting with '_'.</summary>
    public IReadOnlyList<string> HomeworkSources() =>
        Directory.Exists(HomeworkDirectory)
            ? Directory.EnumerateFiles(HomeworkDirectory, "*.ipynb")
                .Where(p => !Path.GetFileName(p).StartsWith('_'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>True for lesson file names: two digits, an underscore, lower-case hyphenated words, .ipynb.</summary>
    public static bool IsLessonName(string fileName) => LessonName().IsMatch(fileName);

    [GeneratedRegex(@"^\d\d_[a-z0-9][a-z0-9-]*\.ipynb$")]
    private static partial Regex LessonName();
}
