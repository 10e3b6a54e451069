using Dapper;
using Marketplace.Core.Reviews;
using Marketplace.Data.Reviews;

namespace Marketplace.Data.Dashboards;

/// <summary>
/// The reviewer's dashboard: live assignments (assigned or accepted) with their scoring progress and due dates, the
/// unanswered first, then the soonest due.
/// </summary>
public sealed class ReviewerDashboardQuery(DbConnectionFactory connections)
{
    public async Task<IReadOnlyList<AssignmentItem>> LoadAsync(long reviewerUserId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AssignmentItem>(new CommandDefinition(
            $"""
            {ReviewStore.AssignmentColumns}
            WHERE a.reviewer_user_id = @UserId AND a.status IN (@Assigned, @Accepted)
            ORDER BY CASE WHEN a.status = @Assigned THEN 0 ELSE 1 END, a.due_at, a.assigned_at, a.id
            """, new { UserId = reviewerUserId, Assigned = AssignmentStatus.Assigned, Accepted = AssignmentStatus.Accepted },
            cancellationToken: cancellationToken))).ToList();
    }
}
