using System.Text;
using Workbook.Core;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Parameters;

/// <summary>Overrides of a notebook's parameters (<c>run NOTEBOOK --set N=1000000</c>), applied papermill's
/// way: the executed copy keeps the original <c>parameters</c> cell and gets an <c>injected-parameters</c> cell
/// right after it that declares the new values.</summary>
internal sealed class ParameterOverrides
{
    private readonly List<(string Name, string Value)> _values;

    private ParameterOverrides(List<(string Name, string Value)> values) => _values = values;

    /// <summary>No overrides.</summary>
    public static ParameterOverrides None { get; } = new([]);

    /// <summary>The overrides, in the order given.</summary>
    public IReadOnlyList<(string Name, string Value)> Values => _values;

    /// <summary>True when there is nothing to override.</summary>
    public bool IsEmpty => _values.Count == 0;

    /// <summary>Parses <c>name=value</c> pairs; a later value for the same name replaces an earlier one.</summary>
    /// <exception cref="ParameterException">A pair without <c>=</c> or without a name.</exception>
    public static ParameterOverrides Parse(IEnumerable<string> assignments)
    {
        var values = new List<(string, string)>();
        foreach (string a in assignments)
        {
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? a.Trim() : a[..eq].Trim();
            if (eq <= 0 || name.Length == 0)
            {
                throw new ParameterException(name.Length == 0 ? null : name,
                    $"--set '{a}' is not of the form name=value");
            }

            values.RemoveAll(v => v.Item1 == name);
            values.Add((name, a[(eq + 1)..]));
        }

        return new ParameterOverrides(values);
    }

    /// <summary>Checks every override against the notebook's parameters cell and returns the source of the
    /// cell to inject (one declaration per override).</summary>
    /// <param name="document">The notebook.</param>
    /// <param name="origin">The notebook's name, for messages.</param>
    /// <exception cref="ParameterException">The notebook has no parameters cell, a name is not one of its
    /// parameters, or a value does not fit the parameter's type. The message names the parameter and lists the
    /// known ones.</exception>
    public string InjectedSource(IpynbDocument document, string origin)
    {
        var cell = ParametersCell.Find(document)
            ?? throw new ParameterException(_values.Count > 0 ? _values[0].Name : null,
                $"{origin} has no cell tagged '{ParametersCell.Tag}', so it has no parameters to set");
        var sb = new StringBuilder("// Parameters injected by `workbook run --set`\n");
        foreach (var (name, value) in _values)
        {
            var parameter = cell.Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new ParameterException(name,
                    $"{origin} has no parameter '{name}'; its parameters are: {Known(cell)}");
            try
            {
                sb.Append(parameter.Declaration(value)).Append('\n');
            }
            catch (ParameterException e)
            {
                throw new ParameterException(name, $"{origin}: {e.Message}; its parameters are: {Known(cell)}");
            }
        }

        CheckDomains(cell, origin);
        return sb.ToString();
    }

    /// <summary>Checks the parameters' values (the defaults, with these overrides in their place) against the
    /// domains the parameters cell declares, with the same rules and messages as the notebook's own check cell.</summary>
    /// <exception cref="ParameterException">A value is outside its domain; the message names the parameter, the
    /// rule and the value.</exception>
    public void CheckDomains(ParametersCell cell, string origin)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Domains is not { } domains)
        {
            return;
        }

        try
        {
            domains.Check(cell.Values(_values));
        }
        catch (ParameterDomainException e)
        {
            throw new ParameterException(e.ParamName, $"{origin}: {e.Message}");
        }
    }

    /// <summary>The notebook with the injected-parameters cell after its parameters cell; the notebook itself
    /// when there are no overrides.</summary>
    /// <exception cref="ParameterException">As <see cref="InjectedSource"/>.</exception>
    public IpynbDocument ApplyTo(IpynbDocument document, string origin)
    {
        if (IsEmpty)
        {
            return document;
        }

        string source = InjectedSource(document, origin);
        int at = ParametersCell.Find(document)!.CellIndex;
        return document.WithCodeCellAfter(at, source, [ParametersCell.InjectedTag]);
    }

    /// <summary>The executed copy's file name, recording the overrides so that reruns do not overwrite each
    /// other: <c>02_simulating-draws.ipynb</c> with N=1000000 and seed=7 gives
    /// <c>02_simulating-draws.N=1000000.seed=7.ipynb</c>. Characters unsafe in file names become '_'.</summary>
    public string FileNameFor(string notebookPath)
    {
        string file = Path.GetFileName(notebookPath);
        if (IsEmpty)
        {
            return file;
        }

        string stem = Path.GetFileNameWithoutExtension(file);
        string suffix = string.Concat(_values.Select(v => "." + Sanitize(v.Name) + "=" + Sanitize(v.Value)));
        if (suffix.Length > 150)
        {
            string hash = Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(suffix)))[..10];
            suffix = suffix[..130] + "~" + hash;
        }

        return stem + suffix + Path.GetExtension(file);
    }

    private static string Sanitize(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s.Trim())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or ',' or '_' || (c == '.' && sb.Length > 0) ? c : '_');
        }

        return sb.Length == 0 ? "_" : sb.ToString();
    }

    private static string Known(ParametersCell cell) =>
        cell.Parameters.Count == 0
            ? "(none: the parameters cell declares no literal values)"
            : string.Join(", ", cell.Parameters.Select(p => $"{p.Name} ({p.Type.CSharpName})"));
}
