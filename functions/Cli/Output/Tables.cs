using Spectre.Console;

namespace Serverless.Cli.Output;

/// <summary>Plain tables for listings: no markup is interpreted in cells, so names and messages print as they are.</summary>
internal static class Tables
{
    /// <summary>A table with the given column headers.</summary>
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)) { NoWrap = false });
        }

        return table;
    }

    /// <summary>Adds a row of plain-text cells (null prints as empty).</summary>
    public static Table Row(this Table table, params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.AddRow(cells.Select(c => new Text(c ?? string.Empty)).ToArray());
        return table;
    }

    /// <summary>A two-column key/value grid for a "show" header.</summary>
    public static Grid Properties(IEnumerable<(string Key, string? Value)> rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (key, value) in rows)
        {
            grid.AddRow(new Text(key + ":"), new Text(value ?? "-"));
        }

        return grid;
    }
}
