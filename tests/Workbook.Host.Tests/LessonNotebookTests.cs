using Workbook.Host.Execution;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;

namespace Workbook.Host.Tests;

/// <summary>Every lesson in notebooks/ runs in the host without an error; a failing check cell fails the test
/// and the message names the notebook, the cell and the error.</summary>
public class LessonNotebookTests
{
    public static TheoryData<string> Lessons()
    {
        var data = new TheoryData<string>();
        foreach (string path in WorkbookLayout.Find(AppContext.BaseDirectory).Lessons())
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Lesson_runs_without_error(string lesson)
    {
        var layout = WorkbookLayout.Find(AppContext.BaseDirectory);
        var result = await new NotebookRunner().RunAsync(Path.Combine(layout.NotebooksDirectory, lesson));

        Assert.True(result.Succeeded, result.FailureSummary + "\n" + result.FirstFailure?.Error?.Message);
        Assert.Equal(result.TotalCodeCells, result.Cells.Count);
    }

    [Fact]
    public void Lesson_and_answer_key_sources_are_committed_without_outputs()
    {
        var layout = WorkbookLayout.Find(AppContext.BaseDirectory);
        foreach (string path in layout.Lessons().Concat(layout.AnswerKeys()))
        {
            var doc = IpynbDocument.Load(path);
            foreach (var cell in doc.Cells.Where(c => c.IsCode))
            {
                Assert.True(cell.OutputsJson.Count == 0, $"{Path.GetFileName(path)} cell {cell.Index} has saved outputs");
            }
        }
    }

    /// <summary>Editors and nbconvert start the kernel a notebook names: the workbook's, so a reader who has run
    /// <c>kernel install</c> gets no kernel prompt. Language stays C# for tools that key on it.</summary>
    [Fact]
    public void Every_lesson_answer_key_and_homework_source_names_the_workbook_kernelspec()
    {
        var layout = WorkbookLayout.Find(AppContext.BaseDirectory);
        var notebooks = layout.Lessons().Concat(layout.AnswerKeys()).Concat(layout.HomeworkSources()).ToList();
        Assert.NotEmpty(layout.AnswerKeys());
        Assert.NotEmpty(layout.HomeworkSources());
        foreach (string path in notebooks)
        {
            var doc = IpynbDocument.Load(path);
            string name = Path.GetFileName(path);
            Assert.True(NotebookKernelSpec.IsNamedBy(doc), $"{name}: metadata.kernelspec is {doc.Metadata["kernelspec"]?.ToJsonString()}");
            Assert.Equal(NotebookKernelSpec.DisplayName, doc.Metadata["kernelspec"]!["display_name"]!.GetValue<string>());
            Assert.Equal("C#", doc.Metadata["kernelspec"]!["language"]!.GetValue<string>());
            Assert.Equal("C#", doc.Metadata["language_info"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public void There_is_a_start_here_lesson_and_names_follow_the_convention()
    {
        var lessons = WorkbookLayout.Find(AppContext.BaseDirectory).Lessons().Select(Path.GetFileName).ToList();
        Assert.Equal("00_start-here.ipynb", lessons.First());
        Assert.True(WorkbookLayout.IsLessonName("03_cross-entropy.ipynb"));
        Assert.False(WorkbookLayout.IsLessonName("_scratch.ipynb"));
        Assert.False(WorkbookLayout.IsLessonName("3 Cross Entropy.ipynb"));
    }
}

public class LessonDeterminismTests
{
    [Fact]
    public async Task The_same_parameters_give_the_same_numbers_on_every_run()
    {
        // Lesson 03 simulates with seeded generators; two runs must print exactly the same text.
        var layout = WorkbookLayout.Find(AppContext.BaseDirectory);
        string path = Path.Combine(layout.NotebooksDirectory, "03_cross-entropy.ipynb");
        var first = await new NotebookRunner().RunAsync(path);
        var second = await new NotebookRunner().RunAsync(path);

        static List<string> Texts(NotebookResult r) => r.Cells.SelectMany(c => c.Outputs).Select(o => o switch
        {
            StreamOutput s => s.Text,
            ReturnValueOutput v => v.Data["text/plain"],
            _ => "",
        }).ToList();

        Assert.True(first.Succeeded, first.FailureSummary);
        Assert.Contains(Texts(first), t => t.Contains("H(p,q) = ", StringComparison.Ordinal));
        Assert.Equal(Texts(first), Texts(second));
    }
}
