namespace EcgVision.Imaging.Tests;
public class SmokeTests { [Fact] public void AssemblyLoads() => typeof(EcgVision.Signals.EcgRecord).Should().NotBeNull(); }
