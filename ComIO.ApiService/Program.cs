using ComIO.ApiService.Hosting;

ConfigurationErrors.ExitCleanlyOnInvalidConfiguration();
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComIOConfigurationFile();
builder.AddComIOApiService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapComIOApiService();
app.Run();
