using System.Globalization;
using Newtonsoft.Json;
using Plotly.NET;

namespace Workbook.Host.Rendering;

/// <summary>Writes figure JSON as Plotly.NET does, member by member, with the layout's template taken from a
/// cache: Plotly.NET serialises a template (a few hundred dynamic objects) in a few hundred milliseconds, and
/// every chart carries its own structurally equal copy of the default one.</summary>
internal sealed class FigureJsonWriter
{
    private const string TemplateKey = "template";

    /// <summary>Plotly.NET's settings, but loops are looked for by reference. Newtonsoft compares each object
    /// with those it is inside of, with Equals unless told otherwise, and DynamicObj's Equals hashes both objects
    /// deeply: that is most of a template's time. Plotly.NET writes a loop out anyway
    /// (<see cref="ReferenceLoopHandling.Serialize"/>), so what is found changes nothing in the JSON; with other
    /// settings, these are Plotly.NET's own.</summary>
    private static readonly Lazy<JsonSerializerSettings> Settings = new(() =>
        Globals.JSON_CONFIG.ReferenceLoopHandling == ReferenceLoopHandling.Serialize
            ? new JsonSerializerSettings(Globals.JSON_CONFIG) { EqualityComparer = ReferenceEqualityComparer.Instance }
            : Globals.JSON_CONFIG);

    // Keyed by DynamicObj's structural hash (a deep hash of its members), which is also what its Equals compares.
    private readonly Dictionary<int, string> _templates = [];
    private readonly Lock _gate = new();

    /// <summary>The chart's figure JSON, equal to <see cref="GenericChart.toFigureJson"/>.</summary>
    public string Write(GenericChart chart)
    {
        var figure = GenericChart.toFigure(chart);
        var settings = Settings.Value;
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var json = new JsonTextWriter(text) { Formatting = settings.Formatting })
        {
            json.WriteStartObject();
            json.WritePropertyName("data");
            json.WriteRawValue(JsonConvert.SerializeObject(figure.Data, settings));
            json.WritePropertyName("layout");
            json.WriteStartObject();
            foreach (var (name, value) in figure.Layout.GetProperties(true))
            {
                if (value is null && settings.NullValueHandling == NullValueHandling.Ignore)
                {
                    continue;
                }

                json.WritePropertyName(name);
                json.WriteRawValue(name == TemplateKey && value is DynamicObj.DynamicObj template
                    ? Template(template, settings)
                    : JsonConvert.SerializeObject(value, settings));
            }

            json.WriteEndObject();
            json.WritePropertyName("frames");
            json.WriteRawValue(JsonConvert.SerializeObject(figure.Frames, settings));
            json.WriteEndObject();
        }

        return text.ToString();
    }

    private string Template(DynamicObj.DynamicObj template, JsonSerializerSettings settings)
    {
        int key = template.GetHashCode();
        lock (_gate)
        {
            if (_templates.TryGetValue(key, out string? cached))
            {
                return cached;
            }
        }

        string json = JsonConvert.SerializeObject(template, settings);
        lock (_gate)
        {
            _templates.TryAdd(key, json);
        }

        return json;
    }
}
