using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage;

/// <summary>What the hosts need to know of a storage error without knowing the provider.</summary>
public static class StorageErrors
{
    /// <summary>The disk (or the database's size limit) is full: SQLITE_FULL, PostgreSQL 53100 disk_full; anywhere in the chain.</summary>
    public static bool IsFull(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SqliteException { SqliteErrorCode: 13 } || e is DbException { SqlState: "53100" }) return true;
        return false;
    }
}
