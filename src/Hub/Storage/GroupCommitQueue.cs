using System.Threading.Channels;

namespace IntegrationHub.Hub.Storage;

/// <summary>
/// Writes that one loop commits together: every item waiting when the loop comes round goes into one transaction
/// (one fsync), so concurrent callers share a commit instead of queueing for one each. A caller's task completes
/// with its own result once that commit is done; if the commit fails, every item of it fails (nothing was written).
/// </summary>
internal sealed class GroupCommitQueue<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<TResult[]>> commit) : IDisposable
{
    const int MaxBatch = 256;
    readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done)> queue =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>(new() { SingleReader = true });
    Task? loop;

    public Task<TResult> EnqueueAsync(TItem item, CancellationToken cancellationToken)
    {
        lock (queue)
            loop ??= Task.Run(RunAsync);
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite((item, done))) throw new ObjectDisposedException(nameof(GroupCommitQueue<TItem, TResult>));
        // Cancelling stops the wait, not the write: the item may still be committed.
        return done.Task.WaitAsync(cancellationToken);
    }

    async Task RunAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                var results = await commit(batch.Select(b => b.Item).ToList());
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    public void Dispose() => queue.Writer.TryComplete();
}
