namespace IntegrationHub.Bot.Text;

/// <summary>The classic Porter (1980) stemmer: "returns", "returned", "returning" → "return".</summary>
/// <remarks>Pure function of its input, so it is safe to call from any thread.</remarks>
internal static class PorterStemmer
{
    public static string Stem(string word)
    {
        if (word.Length <= 2 || !word.All(char.IsAsciiLetterLower)) return word;
        var w = new Word(word);
        Step1a(w); Step1b(w); Step1c(w); Step2(w); Step3(w); Step4(w); Step5(w);
        return w.ToString();
    }

    sealed class Word(string text)
    {
        public char[] B = text.ToCharArray();
        public int K = text.Length - 1; // last index of the current word
        public int J;                  // end of stem while testing a suffix

        public override string ToString() => new(B, 0, K + 1);

        public bool Cons(int i) => B[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !Cons(i - 1),
            _ => true,
        };

        // m(): number of VC sequences in B[0..J].
        public int M()
        {
            int n = 0, i = 0;
            while (true) { if (i > J) return n; if (!Cons(i)) break; i++; }
            i++;
            while (true)
            {
                while (true) { if (i > J) return n; if (Cons(i)) break; i++; }
                i++; n++;
                while (true) { if (i > J) return n; if (!Cons(i)) break; i++; }
                i++;
            }
        }

        public bool VowelInStem()
        {
            for (var i = 0; i <= J; i++) if (!Cons(i)) return true;
            return false;
        }

        public bool DoubleC(int j) => j >= 1 && B[j] == B[j - 1] && Cons(j);

        public bool Cvc(int i)
        {
            if (i < 2 || !Cons(i) || Cons(i - 1) || !Cons(i - 2)) return false;
            return B[i] is not ('w' or 'x' or 'y');
        }

        public bool Ends(string s)
        {
            var l = s.Length;
            if (l > K + 1) return false;
            for (var i = 0; i < l; i++) if (B[K - l + 1 + i] != s[i]) return false;
            J = K - l;
            return true;
        }

        public void SetTo(string s)
        {
            var l = s.Length;
            if (J + 1 + l > B.Length) Array.Resize(ref B, J + 1 + l);
            for (var i = 0; i < l; i++) B[J + 1 + i] = s[i];
            K = J + l;
        }

        public void R(string s) { if (M() > 0) SetTo(s); }
    }

    static void Step1a(Word w)
    {
        if (w.B[w.K] != 's') return;
        if (w.Ends("sses")) w.K -= 2;
        else if (w.Ends("ies")) w.SetTo("i");
        else if (w.K >= 1 && w.B[w.K - 1] != 's') w.K--;
    }

    static void Step1b(Word w)
    {
        if (w.Ends("eed")) { if (w.M() > 0) w.K--; return; }
        if ((w.Ends("ed") || w.Ends("ing")) && w.VowelInStem())
        {
            w.K = w.J;
            if (w.Ends("at")) w.SetTo("ate");
            else if (w.Ends("bl")) w.SetTo("ble");
            else if (w.Ends("iz")) w.SetTo("ize");
            else if (w.DoubleC(w.K))
            {
                w.K--;
                if (w.B[w.K] is 'l' or 's' or 'z') w.K++;
            }
            else if (MAt(w, w.K) == 1 && w.Cvc(w.K)) { w.J = w.K; w.SetTo("e"); }
        }
    }

    static int MAt(Word w, int j)
    {
        var saved = w.J;
        w.J = j;
        var m = w.M();
        w.J = saved;
        return m;
    }

    static void Step1c(Word w)
    {
        if (w.Ends("y") && w.VowelInStem()) w.B[w.K] = 'i';
    }

    static readonly (string, string)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ];

    static readonly (string, string)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
        "iti", "ous", "ive", "ize",
    ];

    static void Step2(Word w)
    {
        if (w.K < 1) return;
        foreach (var (suffix, replacement) in Step2Rules)
            if (w.Ends(suffix)) { w.R(replacement); return; }
    }

    static void Step3(Word w)
    {
        foreach (var (suffix, replacement) in Step3Rules)
            if (w.Ends(suffix)) { w.R(replacement); return; }
    }

    static void Step4(Word w)
    {
        if (w.K < 1) return;
        foreach (var suffix in Step4Suffixes)
        {
            if (!w.Ends(suffix)) continue;
            if (suffix == "ion" && !(w.J >= 0 && w.B[w.J] is 's' or 't')) return;
            if (w.M() > 1) w.K = w.J;
            return;
        }
    }

    static void Step5(Word w)
    {
        w.J = w.K;
        if (w.B[w.K] == 'e')
        {
            var a = w.M();
            if (a > 1 || (a == 1 && !w.Cvc(w.K - 1))) w.K--;
        }
        if (w.B[w.K] == 'l' && w.DoubleC(w.K) && w.M() > 1) w.K--;
    }
}
