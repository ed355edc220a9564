using System.Net;
using System.Text;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>The Accept header decides between one PNG and JSON by its q values; a 406 only when JSON is not acceptable.</summary>
public sealed class ContentNegotiationTests(SharedApi api) : IClassFixture<SharedApi>
{
    [Theory]
    [InlineData("application/json, image/png")]
    [InlineData("image/png;q=0.5, application/json")]
    public async Task A_client_that_also_accepts_json_gets_several_images_as_json_not_a_406(string accept)
    {
        var client = await api.Factory.ReadyClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/samples")
        {
            Content = new StringContent("""{"seed": 3, "count": 2, "stepsPerGroup": [1]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Image_png_with_q_0_is_refused_so_one_image_comes_back_as_json()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/samples")
        {
            Content = new StringContent("""{"seed": 3, "stepsPerGroup": [1]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, image/png;q=0");
        using var response = await client.SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
