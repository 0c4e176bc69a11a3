using ComIO.StorageNode.Hosting;

ConfigurationErrors.ExitCleanlyOnInvalidConfiguration();
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComIOConfigurationFile();
builder.AddComIOStorageNode();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapComIOStorageNode();
app.Run();
