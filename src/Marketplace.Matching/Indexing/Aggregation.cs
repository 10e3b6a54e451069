namespace Marketplace.Matching.Indexing;

/// <summary>Combines the similarities of an entity's units (profile, cases) into one score.</summary>
internal static class Aggregation
{
    /// <summary>
    /// Writes a coefficient per unit such that score = Σ coefficient·similarity, and returns the score.
    /// Keeping the combination linear is what lets explanations split the score exactly by term.
    /// </summary>
    public static float Combine(ReadOnlySpan<float> similarities, ReadOnlySpan<UnitRole> roles, MatchOptions options, Span<float> coefficients)
    {
        coefficients.Clear();
        if (similarities.Length == 1)
        {
            coefficients[0] = 1;
            return similarities[0];
        }

        var profile = -1;
        var cases = 0;
        for (var u = 0; u < roles.Length; u++)
        {
            if (roles[u] == UnitRole.Case)
            {
                cases++;
            }
            else
            {
                profile = u;
            }
        }

        var caseShare = profile < 0 ? 1f : cases == 0 ? 0f : 1f - options.ProfileWeight;
        if (profile >= 0)
        {
            coefficients[profile] = 1f - caseShare;
        }

        if (cases > 0 && caseShare > 0)
        {
            switch (options.Aggregation)
            {
                case CaseAggregation.Max:
                    coefficients[BestCase(similarities, roles, -1)] += caseShare;
                    break;
                case CaseAggregation.TopMean:
                    var k = Math.Min(options.TopCases, cases);
                    Span<bool> taken = stackalloc bool[similarities.Length];
                    for (var n = 0; n < k; n++)
                    {
                        var best = -1;
                        for (var u = 0; u < similarities.Length; u++)
                        {
                            if (roles[u] == UnitRole.Case && !taken[u] && (best < 0 || similarities[u] > similarities[best]))
                            {
                                best = u;
                            }
                        }

                        taken[best] = true;
                        coefficients[best] += caseShare / k;
                    }

                    break;
                default:
                    for (var u = 0; u < similarities.Length; u++)
                    {
                        if (roles[u] == UnitRole.Case)
                        {
                            coefficients[u] += caseShare / cases;
                        }
                    }

                    break;
            }
        }

        var score = 0f;
        for (var u = 0; u < similarities.Length; u++)
        {
            score += coefficients[u] * similarities[u];
        }

        return score;
    }

    private static int BestCase(ReadOnlySpan<float> similarities, ReadOnlySpan<UnitRole> roles, int skip)
    {
        var best = -1;
        for (var u = 0; u < similarities.Length; u++)
        {
            if (u != skip && roles[u] == UnitRole.Case && (best < 0 || similarities[u] > similarities[best]))
            {
                best = u;
            }
        }

        return best;
    }
}
