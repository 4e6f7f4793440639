using Workbook.Host.Notebooks;
using Workbook.Host.Parameters;
using Workbook.Host.Running;

namespace Workbook.Host.Tests.Parameters;

public class ParametersCellTests
{
    [Fact]
    public void Every_lesson_that_declares_domains_declares_one_for_each_parameter_and_checks_them_next()
    {
        var layout = WorkbookLayout.Find(AppContext.BaseDirectory);
        var lessons = layout.Lessons()
            .Select(path => (Name: Path.GetFileName(path), Document: IpynbDocument.Load(path)))
            .Where(l => ParametersCell.Find(l.Document)?.Domains is not null)
            .ToList();

        Assert.True(lessons.Count >= 5, "lessons 00-04 declare their domains; found: " + string.Join(", ", lessons.Select(l => l.Name)));
        foreach (var (name, doc) in lessons)
        {
            var cell = ParametersCell.Find(doc)!;
            Assert.Equal(cell.Parameters.Select(p => p.Name).Order(), cell.Domains!.Domains.Select(d => d.Name).Order());
            var next = doc.Cells.First(c => c.IsCode && c.Index > cell.CellIndex);
            Assert.True(next.Source.Contains("domains.Check(", StringComparison.Ordinal), $"{name}: the cell after the parameters does not check them");
            cell.Domains.Check(cell.Values([]));
        }
    }

    [Fact]
    public void The_parameters_are_the_literal_declarations_of_the_tagged_cell_with_their_types()
    {
        var doc = IpynbDocument.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "parameters-latex.ipynb"));

        var cell = ParametersCell.Find(doc)!;

        Assert.Equal(ParametersCell.Tag, Assert.Single(doc.Cells[cell.CellIndex].Tags));
        Assert.Equal(["N int", "scale double", "label string", "verbose bool", "p double[]"],
            cell.Parameters.Select(p => $"{p.Name} {p.Type.CSharpName}"));
        Assert.Null(cell.Domains);
    }
}
