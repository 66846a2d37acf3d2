using System.Net;
using IntegrationHub.Bot.Knowledge;
using IntegrationHub.Hub.BotHosting;
using IntegrationHub.Hub.Tests.Support;

namespace IntegrationHub.Hub.Tests.BotHosting;

/// <summary><c>/knowledge/{sourceId}/{page}.html</c>: cited pages open, nothing outside the source's folder does.</summary>
public sealed class KnowledgePagesTests : IAsyncLifetime
{
    HubFactory hub = null!;
    DirectoryInfo root = null!;
    string folder = null!;

    public async Task InitializeAsync()
    {
        // root/secret.md sits next to the knowledge folder root/kb: reachable only by escaping the folder.
        root = Directory.CreateTempSubdirectory("hub-kb-");
        folder = Directory.CreateDirectory(Path.Combine(root.FullName, "kb")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "secret.md"), "# Secret\n\nTOP-SECRET-VALUE");
        Directory.CreateDirectory(Path.Combine(folder, "guides"));
        await File.WriteAllTextAsync(Path.Combine(folder, "guides", "sizing.md"), "# Sizing guide\n\n## Measuring your chest\n\nMeasure around the fullest part of your chest.\n\n<script>alert('x')</script>");
        File.CreateSymbolicLink(Path.Combine(folder, "linked.md"), Path.Combine(root.FullName, "secret.md"));
        var connectors = HubFactory.BotConnectors.Replace("\"settings\": { \"redactionPatterns\"", $"\"settings\": {{ \"knowledgeFolders\": [\"{folder}\"], \"redactionPatterns\"");
        Assert.NotEqual(HubFactory.BotConnectors, connectors);
        hub = await HubFactory.CreateAsync(connectors: connectors);
    }

    public async Task DisposeAsync()
    {
        await hub.DisposeAsync();
        root.Delete(recursive: true);
    }

    [Fact]
    public async Task Get_SampleHtmlPage_ContentWithAnchorsNoScriptAndLockedDownHeaders()
    {
        var response = await hub.CreateClient().GetAsync("/knowledge/sample/contact.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Contact us</title>", html);
        Assert.Contains("id=\"opening-hours\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Get_ConfiguredFolderPageInSubfolder_MarkdownRenderedRawHtmlShownAsText()
    {
        var html = await hub.CreateClient().GetStringAsync("/knowledge/config-kb/guides/sizing.html");

        Assert.Contains("<h2 id=\"measuring-your-chest\">Measuring your chest</h2>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Theory]
    [InlineData("/knowledge/config-kb/..%2Fsecret.html")]
    [InlineData("/knowledge/config-kb/guides%2F..%2F..%2Fsecret.html")]
    [InlineData("/knowledge/config-kb/%2e%2e/secret.html")]
    [InlineData("/knowledge/config-kb/..%5Csecret.html")]
    [InlineData("/knowledge/config-kb/linked.html")]
    [InlineData("/knowledge/config-kb/guides/sizing.md")]
    [InlineData("/knowledge/config-kb/guides/missing.html")]
    [InlineData("/knowledge/nope/guides/sizing.html")]
    public async Task Get_OutsideTheFolderOrUnknown_404WithoutContent(string path)
    {
        var response = await hub.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("TOP-SECRET", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_SourceWithItsOwnBaseUrl_404BecauseItIsPublishedElsewhere()
    {
        await hub.Get<IKnowledgeSourceStore>().UpsertAsync(new KnowledgeSource("default", "published", KnowledgeSourceKinds.Folder, folder, "https://help.example"));

        var response = await hub.CreateClient().GetAsync("/knowledge/published/guides/sizing.html");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("../secret.html")]
    [InlineData("guides/../../secret.html")]
    [InlineData("guides/./sizing.html")]
    [InlineData("/etc/passwd.html")]
    [InlineData("..\\secret.html")]
    [InlineData(".git/config.html")]
    [InlineData("linked.html")]
    [InlineData("guides/sizing")]
    public void Resolve_EscapingOrMalformedPage_Null(string page) => Assert.Null(KnowledgePages.Resolve(folder, page));

    [Fact]
    public void Resolve_PageInSubfolder_TheMarkdownFile() =>
        Assert.Equal(Path.Combine(folder, "guides", "sizing.md"), KnowledgePages.Resolve(folder, "guides/sizing.html"));

    [Fact]
    public void Render_HostileHtml_ScriptsHandlersAndScriptUrlsRemoved()
    {
        var html = KnowledgePageRenderer.Render("page.html", """
            <html><head><title>T</title><script>bad()</script></head><body>
            <h2>Opening hours</h2><p onclick="bad()">Hi <a href="javascript:bad()">x</a> <a href="/ok">ok</a> <a href=" JaVa&#x09;script:bad()">y</a></p>
            <iframe src="https://evil.example"></iframe><img src="data:image/png;base64,AAAA" onerror="bad()"></body></html>
            """);

        Assert.DoesNotContain("bad()", html);
        Assert.DoesNotContain("<iframe", html);
        Assert.Contains("<h2 id=\"opening-hours\">", html);
        Assert.Contains("href=\"/ok\"", html);
    }
}
