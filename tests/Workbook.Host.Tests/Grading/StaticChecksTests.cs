using Workbook.Host.Grading;

namespace Workbook.Host.Tests.Grading;

public class StaticChecksTests
{
    [Theory]
    [InlineData("Microsoft.DotNet.Interactive.Kernel.Root.AddMiddleware(async (c, k, next) => { });")]
    [InlineData("var ctx = KernelInvocationContext.Current;")]
    [InlineData("var t = Type.GetType(\"Microsoft.Dot\" + \"Net.Inter\" + \"active.Kernel\");")]
    [InlineData("var name = $\"Add{\"\"}Middle\" + @\"ware\";")]
    [InlineData("object k = Kernel .  Root;")]
    public void Use_of_the_notebook_kernels_own_API_is_flagged_however_it_is_spelled(string source) =>
        Assert.Contains("uses the notebook kernel's own API", StaticChecks.Scan(source));

    [Theory]
    [InlineData("System.Runtime.Loader.AssemblyLoadContext.Default.Unloading += _ => { };")]
    [InlineData("AppDomain.CurrentDomain.ProcessExit += (s, e) => { };")]
    [InlineData("var e = typeof(AppDomain).GetEvent(\"Process\" + \"Exit\");")]
    [InlineData("var alc = Type.GetType(\"System.Runtime.Loader.Assembly\" + \"Load\" + \"Context\");")]
    public void Exit_and_unload_hooks_are_flagged_however_they_are_spelled(string source) =>
        Assert.Contains("installs a process exit or unload hook", StaticChecks.Scan(source));

    [Theory]
    [InlineData("double h = 0; foreach (double pi in p) { if (pi > 0) h -= pi * Math.Log(pi); } return h;")]
    [InlineData("var kernelSize = 3; // a convolution kernel, not the notebook's")]
    public void Ordinary_answers_are_not_flagged(string source) => Assert.Empty(StaticChecks.Scan(source));
}
