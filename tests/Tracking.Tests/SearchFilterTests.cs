using Serverless.Tracking.Client;
using Serverless.Tracking.Search;

namespace Serverless.Tracking.Tests;

public sealed class SearchFilterTests
{
    [Fact]
    public void Parse_Conjunction_YieldsTypedClauses()
    {
        var filter = SearchFilter.Parse("metrics.acc > 0.5 and params.model = 'tree' AND tags.`team name` LIKE 'ml%' and attributes.status != \"FAILED\"");

        Assert.Collection(filter.Clauses,
            c => Assert.Equal((FilterEntityKind.Metric, "acc", FilterOperator.Greater, (double?)0.5), (c.Kind, c.Key, c.Operator, c.Number)),
            c => Assert.Equal((FilterEntityKind.Param, "model", FilterOperator.Equal, "tree"), (c.Kind, c.Key, c.Operator, c.Text)),
            c => Assert.Equal((FilterEntityKind.Tag, "team name", FilterOperator.Like, "ml%"), (c.Kind, c.Key, c.Operator, c.Text)),
            c => Assert.Equal((FilterEntityKind.Attribute, "status", FilterOperator.NotEqual, "FAILED"), (c.Kind, c.Key, c.Operator, c.Text)));
    }

    [Theory]
    [InlineData("metrics.acc>=0.5", FilterOperator.GreaterOrEqual)]
    [InlineData("metrics.acc<=0.5", FilterOperator.LessOrEqual)]
    [InlineData("metrics.acc < 0.5", FilterOperator.Less)]
    [InlineData("metrics.acc = 0.5", FilterOperator.Equal)]
    [InlineData("metrics.acc != 0.5", FilterOperator.NotEqual)]
    [InlineData("params.p ILIKE '%X%'", FilterOperator.ILike)]
    [InlineData("tags.t IN ('a', 'b')", FilterOperator.In)]
    [InlineData("tags.t NOT IN ('a')", FilterOperator.NotIn)]
    public void Parse_EveryOperator(string text, FilterOperator expected)
    {
        Assert.Equal(expected, Assert.Single(SearchFilter.Parse(text).Clauses).Operator);
    }

    [Theory]
    [InlineData("metrics.acc >> 0.5", "operator")]
    [InlineData("metrics.acc > 'high'", "number")]
    [InlineData("params.lr = 0.1", "quote")]
    [InlineData("metrics.acc > 0.5 or metrics.acc < 0.1", "OR")]
    [InlineData("metrics.acc > 0.5 metrics.loss < 1", "AND")]
    [InlineData("params.p = 'unterminated", "unterminated")]
    [InlineData("foo.bar = 'x'", "unknown key type")]
    [InlineData("metrics.acc IN (1, 2)", "IN")]
    [InlineData("tags.t IN 'a'", "(")]
    [InlineData("metrics.acc > ", "value")]
    [InlineData("metrics.acc LIKE 5", "LIKE")]
    public void Parse_BadFilter_ThrowsInvalidParameterNamingTheProblem(string text, string expectedInMessage)
    {
        var error = Assert.Throws<TrackingException>(() => SearchFilter.Parse(text));

        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
        Assert.Contains(text.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownAttribute_ListsValidOnes()
    {
        var filter = SearchFilter.Parse("attributes.colour = 'red'");

        var error = Assert.Throws<TrackingException>(() => filter.Validate(new HashSet<string> { "start_time" }, new HashSet<string> { "status" }, FilterEntityKind.Attribute));

        Assert.Contains("colour", error.Message, StringComparison.Ordinal);
        Assert.Contains("status", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", "a%", true)]
    [InlineData("abc", "A%", false)]
    [InlineData("abc", "_b_", true)]
    [InlineData("a.c", "a.c", true)]
    [InlineData("abc", "a.c", false)]
    [InlineData("x(y)", "x(%", true)]
    public void Like_FollowsSqlWildcards(string value, string pattern, bool expected)
    {
        var clause = Assert.Single(SearchFilter.Parse($"params.p LIKE '{pattern}'").Clauses);

        Assert.Equal(expected, clause.Matches(value));
    }

    [Fact]
    public void ILike_IgnoresCase()
    {
        Assert.True(Assert.Single(SearchFilter.Parse("params.p ILIKE 'ABC%'").Clauses).Matches("abcdef"));
    }

    [Fact]
    public void Clause_MissingValue_NeverMatches()
    {
        var clause = Assert.Single(SearchFilter.Parse("metrics.acc != 1").Clauses);

        Assert.False(clause.Matches((double?)null));
    }

    [Fact]
    public void Parse_QuotedStringWithDoubledQuote()
    {
        Assert.Equal("it's", Assert.Single(SearchFilter.Parse("tags.t = 'it''s'").Clauses).Text);
    }

    [Theory]
    [InlineData("metrics.acc DESC", FilterEntityKind.Metric, "acc", false)]
    [InlineData("start_time", FilterEntityKind.Attribute, "start_time", true)]
    [InlineData("params.`learning rate` asc", FilterEntityKind.Param, "learning rate", true)]
    public void OrderBy_Parses(string text, FilterEntityKind kind, string key, bool ascending)
    {
        Assert.Equal(new OrderByClause(kind, key, ascending), OrderByClause.Parse(text));
    }

    [Fact]
    public void OrderBy_BadDirection_Throws()
    {
        var error = Assert.Throws<TrackingException>(() => OrderByClause.Parse("metrics.acc DOWN"));

        Assert.Contains("ASC or DESC", error.Message, StringComparison.Ordinal);
    }
}
