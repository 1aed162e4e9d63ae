using System.Globalization;

namespace EcgVision.Signals.Synthetic;

/// <summary>Generates a seeded corpus of paired synthetic 12-lead ECGs and reports in the manner of PTB-XL.</summary>
/// <remarks>
/// <para>The case mix: <see cref="SyntheticCorpusOptions.NormalFraction"/> of the patients are normal (a few with sinus
/// brady- or tachycardia), the others get one primary finding (atrial fibrillation, first-degree AV block, left or right
/// bundle branch block, anteroseptal or inferior infarction, LVH, low voltage, left axis deviation, PVCs, non-specific
/// ST changes, sinus brady- or tachycardia), some a second compatible one. Normal patients are younger (about 45 ± 15
/// years) than abnormal ones (about 66 ± 12). About <see cref="SyntheticCorpusOptions.RepeatPatientFraction"/> of the
/// records are a patient's second record, with the same heart and findings.</para>
/// <para>Ids are 1..count; <c>strat_fold</c> 1–10 is assigned per patient, so PTB-XL's standard split (train folds 1–8,
/// validation 9, test 10) never splits a patient.</para>
/// <para>Deterministic: a plan of every record's spec and seed is drawn sequentially from <c>seed</c>, then records are
/// rendered independently, so the result is the same byte for byte for any
/// <see cref="SyntheticCorpusOptions.MaxDegreeOfParallelism"/>.</para>
/// </remarks>
public static class SyntheticEcgCorpus
{
    private static readonly (SyntheticCondition Condition, double Weight)[] s_primary =
    [
        (SyntheticCondition.AtrialFibrillation, 9),
        (SyntheticCondition.FirstDegreeAvBlock, 7),
        (SyntheticCondition.LeftBundleBranchBlock, 7),
        (SyntheticCondition.RightBundleBranchBlock, 8),
        (SyntheticCondition.AnteroseptalInfarction, 9),
        (SyntheticCondition.InferiorInfarction, 10),
        (SyntheticCondition.LeftVentricularHypertrophy, 9),
        (SyntheticCondition.LowQrsVoltage, 5),
        (SyntheticCondition.LeftAxisDeviation, 7),
        (SyntheticCondition.PrematureVentricularComplex, 7),
        (SyntheticCondition.NonSpecificStChanges, 9),
        (SyntheticCondition.SinusBradycardia, 5),
        (SyntheticCondition.SinusTachycardia, 5),
    ];

    /// <summary>Generates <paramref name="count"/> records.</summary>
    /// <param name="count">Number of records (0–1,000,000).</param>
    /// <param name="seed">Seed of the whole corpus.</param>
    /// <param name="options">Settings; <see langword="null"/> uses the defaults.</param>
    /// <returns>The records, ids 1..<paramref name="count"/> in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or an option is out of range.</exception>
    public static IReadOnlyList<SyntheticEcg> Generate(int count, int seed, SyntheticCorpusOptions? options = null)
    {
        options ??= new SyntheticCorpusOptions();
        if (count < 0 || count > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be between 0 and 1000000 (got {count}).");
        }

        CheckFraction(options.NormalFraction, 1, "NormalFraction");
        CheckFraction(options.CombinationFraction, 1, "CombinationFraction");
        CheckFraction(options.RepeatPatientFraction, 0.5, "RepeatPatientFraction");
        if (options.MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism,
                $"MaxDegreeOfParallelism must be at least 1 (got {options.MaxDegreeOfParallelism}).");
        }

        var generator = new SyntheticEcgGenerator(options.Ecg);
        var plan = Plan(count, seed, options);
        var result = new SyntheticEcg[count];
        if (options.MaxDegreeOfParallelism == 1)
        {
            for (int i = 0; i < count; i++)
            {
                result[i] = generator.Generate(plan[i].Spec, plan[i].Seed);
            }
        }
        else
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
                i => result[i] = generator.Generate(plan[i].Spec, plan[i].Seed));
        }

        return Array.AsReadOnly(result);

        static void CheckFraction(double value, double max, string name)
        {
            if (!(value >= 0 && value <= max))
            {
                throw new ArgumentOutOfRangeException(nameof(options), value,
                    $"{name} must be between 0 and {max.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
    }

    /// <summary>Draws every record's spec and seed, sequentially, so rendering order cannot change the corpus.</summary>
    internal static (SyntheticEcgSpec Spec, int Seed)[] Plan(int count, int seed, SyntheticCorpusOptions options)
    {
        var r = new SyntheticRandom(SyntheticRandom.Mix((ulong)(uint)seed, 0xC0DEUL), 7);
        var specs = new SyntheticEcgSpec[count];
        var patientOf = new int[count];
        int patients = 0;
        var patientSpecs = new List<SyntheticEcgSpec>();
        for (int i = 0; i < count; i++)
        {
            if (patientSpecs.Count > 0 && r.Chance(options.RepeatPatientFraction))
            {
                // A second record of an earlier patient who has only one so far: same heart and findings, new rhythm and noise.
                int p = r.NextInt(patientSpecs.Count);
                var earlier = patientSpecs[p];
                if (earlier is not null)
                {
                    specs[i] = earlier with { HasPreviousRecord = true, Age = Math.Round((earlier.Age ?? 60) + r.Uniform(0, 3)) };
                    patientOf[i] = p;
                    patientSpecs[p] = null!;
                    continue;
                }
            }

            var conditions = DrawConditions(ref r, options);
            bool normal = conditions.Contains(SyntheticCondition.Normal) || conditions.Length == 0
                || conditions.All(c => c == SyntheticCondition.SinusBradycardia || c == SyntheticCondition.SinusTachycardia);
            double age = normal ? r.Gaussian(45, 15, 18, 85) : r.Gaussian(66, 12, 25, 95);
            if (conditions.Contains(SyntheticCondition.SinusBradycardia) && r.Chance(0.5))
            {
                age = r.Gaussian(30, 10, 18, 60);
            }

            var spec = new SyntheticEcgSpec
            {
                Conditions = conditions,
                PatientId = (patients + 1).ToString(CultureInfo.InvariantCulture),
                Age = Math.Round(age),
                Sex = r.Chance(0.52) ? Sex.Male : Sex.Female,
                AnatomySeed = (int)(r.NextUInt64() >> 33),
                HeartRateStd = r.Uniform(1, 3.5),
            };
            specs[i] = spec;
            patientSpecs.Add(spec);
            patientOf[i] = patients++;
        }

        // strat_fold per patient: a seeded shuffle dealt round-robin over folds 1–10, so folds are balanced.
        var order = Enumerable.Range(0, patients).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = r.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var fold = new int[patients];
        for (int k = 0; k < order.Length; k++)
        {
            fold[order[k]] = (k % 10) + 1;
        }

        var plan = new (SyntheticEcgSpec, int)[count];
        for (int i = 0; i < count; i++)
        {
            double noise = options.VaryNoise ? Math.Exp(r.Gaussian(0, 0.5, Math.Log(0.3), Math.Log(2.5))) : 1;
            plan[i] = (specs[i] with
            {
                Id = (i + 1).ToString(CultureInfo.InvariantCulture),
                PatientId = (patientOf[i] + 1).ToString(CultureInfo.InvariantCulture),
                StratFold = fold[patientOf[i]],
                NoiseScale = noise,
            }, (int)(r.NextUInt64() >> 33));
        }

        return plan;
    }

    private static SyntheticCondition[] DrawConditions(ref SyntheticRandom r, SyntheticCorpusOptions options)
    {
        if (r.Chance(options.NormalFraction))
        {
            double roll = r.NextDouble();
            return roll < 0.08 ? [SyntheticCondition.SinusBradycardia] : roll < 0.14 ? [SyntheticCondition.SinusTachycardia] : [SyntheticCondition.Normal];
        }

        var chosen = new List<SyntheticCondition> { PickWeighted(ref r) };
        if (r.Chance(options.CombinationFraction))
        {
            for (int attempt = 0; attempt < 10; attempt++)
            {
                var extra = PickWeighted(ref r);
                if (chosen.Contains(extra))
                {
                    continue;
                }

                chosen.Add(extra);
                try
                {
                    SyntheticEcgGenerator.CompleteConditions(chosen);
                    break;
                }
                catch (ArgumentException)
                {
                    chosen.RemoveAt(chosen.Count - 1);
                }
            }
        }

        return chosen.ToArray();
    }

    private static SyntheticCondition PickWeighted(ref SyntheticRandom r)
    {
        double total = s_primary.Sum(p => p.Weight);
        double x = r.NextDouble() * total;
        foreach (var (condition, weight) in s_primary)
        {
            x -= weight;
            if (x < 0)
            {
                return condition;
            }
        }

        return s_primary[^1].Condition;
    }
}
