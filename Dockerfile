# Aggregator: the API/worker host (Aggregator.Api.dll) plus the CLI in /app/cli.
# Builds with the classic builder too (no BuildKit-only syntax), as docker-compose 1.29 uses it by default.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Not /src: the sources' own src/ folder sits below it either way (Directory.Build.props keys on '/src/').
WORKDIR /source

# Project files first, so the restore layer is reused until a dependency changes.
# The solution is not restored: it lists the test projects, which the image does not contain.
COPY Directory.Build.props ./
COPY src/Aggregator.Api/Aggregator.Api.csproj         src/Aggregator.Api/
COPY src/Aggregator.Cli/Aggregator.Cli.csproj         src/Aggregator.Cli/
COPY src/Aggregator.Core/Aggregator.Core.csproj       src/Aggregator.Core/
COPY src/Aggregator.Nlp/Aggregator.Nlp.csproj         src/Aggregator.Nlp/
COPY src/Aggregator.Storage/Aggregator.Storage.csproj src/Aggregator.Storage/
RUN dotnet restore src/Aggregator.Api/Aggregator.Api.csproj \
 && dotnet restore src/Aggregator.Cli/Aggregator.Cli.csproj

COPY src/ src/
# UseAppHost=false: both are started through `dotnet`, so the native launchers would be dead weight.
RUN dotnet publish src/Aggregator.Api/Aggregator.Api.csproj -c Release -o /out/app --no-restore -p:UseAppHost=false \
 && dotnet publish src/Aggregator.Cli/Aggregator.Cli.csproj -c Release -o /out/cli --no-restore -p:UseAppHost=false


FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Relative paths in the settings (feeds.json, data/) resolve against the working directory.
WORKDIR /app

# The SQLite default writes data/aggregator*.db; the app user must own that folder (and only that one).
# Mount a volume here to keep the data: `docker run -v aggregator-data:/app/data ...`.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data

COPY --from=build /out/app ./
COPY --from=build /out/cli ./cli/
COPY feeds.json ./

# Overridden by --urls (as the compose file does); the health check below assumes 8080.
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080

# The image's non-root user (UID 1654).
USER $APP_UID

# No curl or wget in the image: a bash /dev/tcp request, healthy only on a 200 status line.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]

# Arguments (e.g. --role worker --urls http://+:8080) are appended by `docker run IMAGE ...` or compose's command.
ENTRYPOINT ["dotnet", "Aggregator.Api.dll"]
