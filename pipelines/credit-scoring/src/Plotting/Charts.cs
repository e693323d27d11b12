using System.Globalization;

namespace Serverless.CreditScoring.Plotting;

/// <summary>The evaluation charts: ROC curve and feature importance.</summary>
internal static class Charts
{
    public static PngCanvas Roc(IReadOnlyList<(double Fpr, double Tpr)> points, double auc)
    {
        const int size = 480, left = 50, top = 40, plot = 400;
        var canvas = new PngCanvas(size, size, Rgb.White);
        canvas.Text(left, 14, "ROC CURVE  AUC=" + auc.ToString("0.000", CultureInfo.InvariantCulture), Rgb.Black, 2);
        for (var t = 0; t <= 10; t++)
        {
            var offset = t * plot / 10;
            canvas.Line(left + offset, top, left + offset, top + plot, Rgb.Grey);
            canvas.Line(left, top + offset, left + plot, top + offset, Rgb.Grey);
        }

        canvas.Line(left, top + plot, left + plot, top, Rgb.DarkGrey);
        canvas.Line(left, top, left, top + plot, Rgb.Black, 2);
        canvas.Line(left, top + plot, left + plot, top + plot, Rgb.Black, 2);
        for (var t = 0; t <= 10; t += 5)
        {
            var label = (t / 10.0).ToString("0.0", CultureInfo.InvariantCulture);
            canvas.Text(left + (t * plot / 10) - 9, top + plot + 6, label, Rgb.Black);
            canvas.Text(left - 24, top + plot - (t * plot / 10) - 3, label, Rgb.Black);
        }

        canvas.Text(left + (plot / 2) - 60, top + plot + 22, "FALSE POSITIVE RATE", Rgb.Black);
        canvas.Text(4, top - 14, "TPR", Rgb.Black);
        for (var i = 1; i < points.Count; i++)
        {
            canvas.Line(
                left + (int)(points[i - 1].Fpr * plot), top + plot - (int)(points[i - 1].Tpr * plot),
                left + (int)(points[i].Fpr * plot), top + plot - (int)(points[i].Tpr * plot),
                Rgb.Blue, 2);
        }

        return canvas;
    }

    public static PngCanvas FeatureImportance(IReadOnlyDictionary<string, double> importance, int top = 15)
    {
        var items = importance.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(top).ToList();
        const int rowHeight = 22, labelWidth = 150, barWidth = 420, header = 40;
        var canvas = new PngCanvas(labelWidth + barWidth + 80, header + (items.Count * rowHeight) + 10, Rgb.White);
        canvas.Text(10, 12, "FEATURE IMPORTANCE (GAIN)", Rgb.Black, 2);
        var max = items.Count == 0 ? 1 : Math.Max(items.Max(i => i.Value), 1e-12);
        for (var i = 0; i < items.Count; i++)
        {
            var y = header + (i * rowHeight);
            var (name, value) = items[i];
            canvas.Text(labelWidth - 6 - PngCanvas.TextWidth(name), y + 6, name, Rgb.Black);
            var width = (int)Math.Round(value / max * barWidth);
            canvas.FillRect(labelWidth, y + 2, Math.Max(width, 1), rowHeight - 6, Rgb.Orange);
            canvas.Text(labelWidth + width + 6, y + 6, (value / max).ToString("0.00", CultureInfo.InvariantCulture), Rgb.DarkGrey);
        }

        return canvas;
    }
}
