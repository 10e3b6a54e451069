namespace Marketplace.Core.Features.Matching;

/// <summary>
/// What a matcher refresh must do, decided from change stamps alone: which documents to (re)index or remove, and
/// which challenges' stored suggestions to rank again. A vendor change can move any challenge's list (it competes in
/// all of them); a challenge change moves only its own. A first build ranks everything.
/// </summary>
public sealed record RefreshPlan(
    IReadOnlyList<long> ChangedChallenges,
    IReadOnlyList<long> ChangedVendors,
    IReadOnlyList<long> GoneChallenges,
    IReadOnlyList<long> GoneVendors,
    IReadOnlyList<long> Recompute)
{
    public bool NothingChanged => ChangedChallenges.Count + ChangedVendors.Count + GoneChallenges.Count + GoneVendors.Count == 0;

    /// <param name="indexedChallenges">What the index holds: id → the change stamp it was indexed at.</param>
    /// <param name="currentChallenges">What the database holds now (open challenges only).</param>
    /// <param name="built">Whether the index was built before (else everything is ranked).</param>
    public static RefreshPlan Between(
        IReadOnlyDictionary<long, DateTimeOffset> indexedChallenges, IReadOnlyDictionary<long, DateTimeOffset> currentChallenges,
        IReadOnlyDictionary<long, DateTimeOffset> indexedVendors, IReadOnlyDictionary<long, DateTimeOffset> currentVendors, bool built)
    {
        var changedChallenges = Changed(indexedChallenges, currentChallenges);
        var changedVendors = Changed(indexedVendors, currentVendors);
        var goneChallenges = indexedChallenges.Keys.Where(id => !currentChallenges.ContainsKey(id)).ToList();
        var goneVendors = indexedVendors.Keys.Where(id => !currentVendors.ContainsKey(id)).ToList();
        var recompute = !built || changedVendors.Count + goneVendors.Count > 0 ? currentChallenges.Keys.ToList() : changedChallenges;
        return new RefreshPlan(changedChallenges, changedVendors, goneChallenges, goneVendors, recompute);
    }

    private static List<long> Changed(IReadOnlyDictionary<long, DateTimeOffset> indexed, IReadOnlyDictionary<long, DateTimeOffset> current) =>
        current.Where(pair => !indexed.TryGetValue(pair.Key, out var stamp) || stamp != pair.Value).Select(pair => pair.Key).ToList();
}
