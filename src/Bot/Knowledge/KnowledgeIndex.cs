namespace IntegrationHub.Bot.Knowledge;

/// <summary>
/// In-process BM25F index over chunks (title and heading as one field, text as another), with
/// spelling correction of unknown query words by character-trigram similarity to the vocabulary.
/// </summary>
/// <remarks>
/// Built from what the store returns, sorted by chunk id, so every node that loads the same chunks
/// ranks identically: scores are summed in query-term order, ties go to the lower chunk id, and no
/// output depends on hash-table order. Immutable after construction; searches are thread-safe.
/// </remarks>
internal sealed class KnowledgeIndex
{
    const double K1 = 1.2, B = 0.75;
    const double TitleWeight = 2.0, BodyWeight = 1.0;
    const double MinCorrectionSimilarity = 0.5, CorrectionPenalty = 0.8;

    readonly KnowledgeChunk[] _chunks;
    readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    readonly List<string> _terms = [];
    readonly List<Posting[]> _postings = [];
    readonly float[] _titleLengths, _bodyLengths;
    readonly double _avgTitle, _avgBody;
    readonly Dictionary<string, int[]> _trigramTerms = new(StringComparer.Ordinal);

    readonly record struct Posting(int Chunk, float TitleTf, float BodyTf);

    public KnowledgeIndex(IEnumerable<KnowledgeChunk> chunks)
    {
        _chunks = chunks
            .OrderBy(c => c.SourceId, StringComparer.Ordinal)
            .ThenBy(c => c.DocumentId, StringComparer.Ordinal)
            .ThenBy(c => c.Ordinal)
            .ToArray();
        _titleLengths = new float[_chunks.Length];
        _bodyLengths = new float[_chunks.Length];
        var building = new List<List<Posting>>();
        for (var i = 0; i < _chunks.Length; i++)
        {
            var title = RetrievalTerms.Of($"{_chunks[i].Title} {_chunks[i].Heading}");
            var body = RetrievalTerms.Of(_chunks[i].Text);
            _titleLengths[i] = title.Count;
            _bodyLengths[i] = body.Count;
            var counts = new SortedDictionary<string, (int Title, int Body)>(StringComparer.Ordinal);
            foreach (var t in title) counts[t] = counts.TryGetValue(t, out var c) ? (c.Title + 1, c.Body) : (1, 0);
            foreach (var t in body) counts[t] = counts.TryGetValue(t, out var c) ? (c.Title, c.Body + 1) : (0, 1);
            foreach (var (term, (tt, bt)) in counts)
            {
                if (!_termIds.TryGetValue(term, out var id))
                {
                    id = _terms.Count;
                    _termIds[term] = id;
                    _terms.Add(term);
                    building.Add([]);
                }
                building[id].Add(new Posting(i, tt, bt));
            }
        }
        foreach (var list in building) _postings.Add([.. list]);
        _avgTitle = _chunks.Length == 0 ? 1 : Math.Max(1, _titleLengths.Average());
        _avgBody = _chunks.Length == 0 ? 1 : Math.Max(1, _bodyLengths.Average());

        var trigramLists = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var id = 0; id < _terms.Count; id++)
            foreach (var g in Trigrams(_terms[id]))
                (trigramLists.TryGetValue(g, out var l) ? l : trigramLists[g] = []).Add(id);
        foreach (var (g, l) in trigramLists) _trigramTerms[g] = [.. l.Distinct()];
    }

    public int Count => _chunks.Length;
    public IReadOnlyList<KnowledgeChunk> Chunks => _chunks;

    /// <summary>Top passages for a question, best first; ties broken by chunk id.</summary>
    public IReadOnlyList<RetrievedPassage> Search(string query, int top)
    {
        var terms = QueryTerms(query);
        if (terms.Count == 0 || _chunks.Length == 0) return [];

        var n = _chunks.Length;
        var scores = new double[n];
        var matchedWeight = new double[n];
        double totalWeight = 0;
        var touched = new List<int>();
        foreach (var (termId, weight, frame) in terms)
        {
            // A word no passage contains counts half: it may be noise ("reach"), but a question made
            // mostly of unknown words is not about this knowledge.
            var idf = termId < 0 ? 0.5 * Math.Log(1 + n) : Idf(_postings[termId].Length);
            var coverageWeight = frame ? 0 : 1;
            totalWeight += coverageWeight * idf * (termId < 0 ? 1 : Math.Max(weight, 0.5));
            if (termId < 0) continue;
            foreach (var p in _postings[termId])
            {
                var tf = TitleWeight * p.TitleTf / (1 - B + B * _titleLengths[p.Chunk] / _avgTitle)
                       + BodyWeight * p.BodyTf / (1 - B + B * _bodyLengths[p.Chunk] / _avgBody);
                if (scores[p.Chunk] == 0) touched.Add(p.Chunk);
                scores[p.Chunk] += weight * idf * tf * (K1 + 1) / (tf + K1);
                matchedWeight[p.Chunk] += coverageWeight * idf * weight;
            }
        }
        touched.Sort();
        var specific = SpecificityScale(n);
        return touched
            .OrderByDescending(c => scores[c]).ThenBy(c => c)
            .Take(top)
            .Select(c => new RetrievedPassage(_chunks[c], scores[c], Confidence(matchedWeight[c], totalWeight, specific)))
            .ToList();
    }

    /// <summary>
    /// Coverage (share of the question's IDF weight the passage contains) times specificity (enough
    /// informative weight matched: one common word such as "order" is not a question this passage answers).
    /// </summary>
    static double Confidence(double matched, double total, double specificityScale) =>
        total == 0 ? 0 : Math.Min(1, matched / total) * Math.Min(1, matched / specificityScale);

    // About three quarters of the IDF of a word that occurs once, so one rare word or two mid-frequency ones suffice.
    static double SpecificityScale(int chunks) => Math.Clamp(0.75 * Math.Log(1 + chunks), 1.5, 5.0);

    // BM25's IDF, floored at a small positive value so very common terms still count for coverage.
    double Idf(int df) => Math.Max(0.05, Math.Log(1 + (_chunks.Length - df + 0.5) / (df + 0.5)));

    /// <summary>Query terms with weights; unknown words are corrected to the nearest vocabulary term or kept as a miss (id -1).</summary>
    List<(int TermId, double Weight, bool Frame)> QueryTerms(string query)
    {
        var result = new List<(int, double, bool)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in RetrievalTerms.Of(query))
        {
            if (!seen.Add(term)) continue;
            var frame = RetrievalTerms.IsFrame(term);
            if (_termIds.TryGetValue(term, out var id)) { result.Add((id, 1.0, frame)); continue; }
            var (corrected, similarity) = frame ? (-1, 0) : Correct(term);
            if (corrected < 0) result.Add((-1, 0, frame));
            else if (seen.Add(_terms[corrected])) result.Add((corrected, CorrectionPenalty * similarity, false));
        }
        return result;
    }

    (int TermId, double Similarity) Correct(string term)
    {
        if (term.Length < 4) return (-1, 0);
        var grams = Trigrams(term).Distinct().ToList();
        var overlap = new Dictionary<int, int>();
        foreach (var g in grams)
            if (_trigramTerms.TryGetValue(g, out var ids))
                foreach (var id in ids) overlap[id] = overlap.TryGetValue(id, out var c) ? c + 1 : 1;
        int best = -1;
        double bestSimilarity = 0;
        foreach (var (id, shared) in overlap)
        {
            var other = Trigrams(_terms[id]).Distinct().Count();
            var dice = 2.0 * shared / (grams.Count + other);
            if (dice > bestSimilarity || (dice == bestSimilarity && best >= 0 && string.CompareOrdinal(_terms[id], _terms[best]) < 0))
                (best, bestSimilarity) = (id, dice);
        }
        return bestSimilarity >= MinCorrectionSimilarity ? (best, bestSimilarity) : (-1, 0);
    }

    static IEnumerable<string> Trigrams(string term)
    {
        var padded = $"#{term}#";
        for (var i = 0; i + 3 <= padded.Length; i++) yield return padded.Substring(i, 3);
    }
}
