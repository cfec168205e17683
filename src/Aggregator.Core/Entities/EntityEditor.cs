using Aggregator.Core.Model;
using Aggregator.Core.Stores;

namespace Aggregator.Core.Entities;

/// <summary>
/// Analysts' edits of the entities (merge, rename, retype, ignore, split, undo): made by the store in one transaction
/// each, after which this process's <see cref="EntityDirectory"/> reads the entities again, so that the next story
/// resolves by the edited names.
/// </summary>
public sealed class EntityEditor(IEntityStore store, EntityDirectory directory)
{
    public async Task<EntityEdit> MergeAsync(long id, long into, string actor, CancellationToken ct = default) =>
        Edited(await store.MergeAsync(id, into, actor, ct));

    public async Task<EntityEdit> UpdateAsync(long id, EntityPatch patch, string actor, CancellationToken ct = default) =>
        Edited(await store.UpdateAsync(id, patch, actor, ct));

    public async Task<EntityEdit> SplitAsync(long id, string alias, string actor, CancellationToken ct = default) =>
        Edited(await store.SplitAsync(id, alias, actor, ct));

    public async Task<EntityEdit> UndoAsync(long editId, string actor, CancellationToken ct = default) =>
        Edited(await store.UndoAsync(editId, actor, ct));

    private EntityEdit Edited(EntityEdit edit)
    {
        directory.Invalidate();
        return edit;
    }
}
