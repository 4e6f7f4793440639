namespace Workbook.Core.Tests;

/// <summary>Locates the repository (the folder with Workbook.sln) so tests can read data/.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Data(params string[] parts) => Path.Combine([Root, "data", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbook.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Workbook.sln not found above " + AppContext.BaseDirectory);
    }
}
