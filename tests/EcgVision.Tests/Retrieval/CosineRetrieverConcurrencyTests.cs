using System.Collections.Concurrent;
using EcgVision.Retrieval;
using Xunit.Abstractions;

namespace EcgVision.Tests.Retrieval;

public class CosineRetrieverConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Search_ConcurrentWithWriter_SeesConsistentSnapshots()
    {
        const int d = 32, adds = 20000, removes = 5000, readers = 8, top = 10;
        float[][] vectors = Enumerable.Range(0, adds).Select(k => RetrievalTestData.VectorOf(k, d)).ToArray();
        using var index = new CosineRetriever<long>(d, new() { InitialCapacity = 64, CompactionThreshold = 0.1 });
        var errors = new ConcurrentQueue<string>();
        int queries = 0, verified = 0;
        using var done = new CancellationTokenSource();
        using var readersRunning = new CountdownEvent(readers);

        // Dedicated threads (LongRunning): on 2 cores the thread pool would otherwise start the readers only after the writer finished.
        var writer = Task.Factory.StartNew(() =>
        {
            try
            {
                readersRunning.Wait(TimeSpan.FromSeconds(30));
                var rng = new Random(1);
                int removed = 0;
                for (int k = 0; k < adds; k++)
                {
                    index.Add(k, vectors[k]);
                    // Remove one earlier key after every fourth add: 5,000 removals in all.
                    if (k % 4 == 3 && removed < removes)
                    {
                        long victim = 4L * removed + rng.Next(3);
                        if (!index.Remove(victim))
                        {
                            errors.Enqueue($"Remove({victim}) returned false");
                        }

                        removed++;
                    }
                }
            }
            catch (Exception e)
            {
                errors.Enqueue("writer: " + e);
            }
            finally
            {
                done.Cancel();
            }
        }, TaskCreationOptions.LongRunning);

        Task[] readerTasks = Enumerable.Range(0, readers).Select(t => Task.Factory.StartNew(() =>
        {
            var rng = new Random(100 + t);
            float[] query = new float[d];
            readersRunning.Signal();
            while (!done.IsCancellationRequested)
            {
                try
                {
                    for (int j = 0; j < d; j++)
                    {
                        query[j] = (float)(rng.NextDouble() - 0.5);
                    }

                    var hits = index.SearchCore(query, top, null, out var snapshot);
                    Interlocked.Increment(ref queries);
                    List<long> live = snapshot.LiveKeys();
                    if (hits.Length != Math.Min(top, live.Count))
                    {
                        errors.Enqueue($"{hits.Length} hits from a snapshot of {live.Count}");
                    }

                    for (int i = 0; i < hits.Length; i++)
                    {
                        if (i > 0 && hits[i].Score > hits[i - 1].Score)
                        {
                            errors.Enqueue("hits not sorted");
                        }

                        double own = RetrievalTestData.Cosine(vectors[hits[i].Key], query);
                        if (Math.Abs(own - hits[i].Score) > 1e-5)
                        {
                            errors.Enqueue($"key {hits[i].Key} scored {hits[i].Score}, its vector gives {own}");
                        }
                    }

                    // Every fourth query: recompute the exact top-k over the snapshot the search saw.
                    if (rng.Next(4) == 0)
                    {
                        double[] best = live.Select(k => RetrievalTestData.Cosine(vectors[k], query)).OrderByDescending(x => x).Take(top).ToArray();
                        if (hits.Select(h => (double)h.Score).Zip(best).Any(p => Math.Abs(p.First - p.Second) > 1e-5))
                        {
                            errors.Enqueue($"top-{top} differs from a recomputation on its snapshot of {live.Count} vectors");
                        }

                        Interlocked.Increment(ref verified);
                    }
                }
                catch (Exception e)
                {
                    errors.Enqueue("reader: " + e);
                }

                if (errors.Count > 20)
                {
                    break;
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll([writer, .. readerTasks]).WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{queries} queries, {verified} recomputed on their snapshot");
        errors.Should().BeEmpty();
        index.Count.Should().Be(adds - removes);
        queries.Should().BeGreaterThan(readers);
        verified.Should().BeGreaterThan(0);
        index.Search(vectors[adds - 1], 1)[0].Key.Should().Be(adds - 1);
    }
}
