using System.Diagnostics;
using Aggregator.Core.Ingestion;

namespace Aggregator.Tests;

/// <summary>A lease names its process, so that a restart on the same machine knows a dead predecessor's lease.</summary>
public sealed class LeaseOwnerTests
{
    [Fact]
    public void A_lease_of_this_process_is_live() => Assert.False(LeaseOwner.IsGone(LeaseOwner.New()));

    [Fact]
    public async Task A_lease_of_a_process_that_exited_is_gone()
    {
        using var exited = Process.Start(new ProcessStartInfo("true"))!;
        await exited.WaitForExitAsync();
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.True(LeaseOwner.IsGone($"{Environment.MachineName}/{exited.Id}/{started}/{Guid.NewGuid():N}"));
    }

    [Fact]
    public void A_lease_whose_process_id_was_taken_by_another_process_is_gone() =>
        Assert.True(LeaseOwner.IsGone($"{Environment.MachineName}/{Environment.ProcessId}/12345/{Guid.NewGuid():N}"));

    [Theory]
    [InlineData("another-machine/1/12345/abc")]   // another machine's processes cannot be seen from here: its lease runs out
    [InlineData("0123456789abcdef0123456789abcdef")] // a lease taken before owners named their process
    [InlineData("")]
    public void Leases_of_unknown_processes_are_live(string owner) => Assert.False(LeaseOwner.IsGone(owner));
}
