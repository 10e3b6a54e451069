namespace Marketplace.Core.Common;

/// <summary>One page of a longer list, with the total so a client can page through it.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public int PageCount => PageSize == 0 ? 0 : (Total + PageSize - 1) / PageSize;

    public bool HasPrevious => Page > 1;

    public bool HasNext => Page < PageCount;
}

/// <summary>A requested page, clamped to sane bounds.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 100;

    public int Skip => (Page - 1) * PageSize;

    public static Result<PageRequest> Create(int? page, int? pageSize, int defaultPageSize = 20)
    {
        var errors = new ValidationErrors();
        if (page is < 1)
        {
            errors.Add("page", "page must be 1 or more.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }

        return errors.IsEmpty ? new PageRequest(page ?? 1, pageSize ?? defaultPageSize) : errors.ToError();
    }
}
