# syntax=docker/dockerfile:1
# The SecureCompute client (train, certs, demo, bench). Build from the repository root:
#   docker build -f deploy/docker/client.Dockerfile -t REGISTRY/securecompute/client:TAG .
# linux-x64 only (libtorch). Build and runtime stages share DISTRO for the reason given in silo.Dockerfile: the
# TorchSharp native-library step in build/GlibcxxCompat.targets decides by the build stage's libstdc++, and the
# ldd check below proves the library loads in the runtime stage.
ARG DISTRO=noble

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0-${DISTRO} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Mpc/Mpc.csproj src/Mpc/
COPY src/Learning/Learning.csproj src/Learning/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
COPY src/Client/Client.csproj src/Client/
RUN dotnet restore src/Client/Client.csproj -r linux-x64
COPY src/ src/
RUN dotnet publish src/Client/Client.csproj -c Release -r linux-x64 --self-contained false --no-restore \
      -p:UseAppHost=false -o /app

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/runtime:10.0-${DISTRO}
WORKDIR /app
COPY --from=build /app ./
RUN if ldd /app/libLibTorchSharp.so 2>&1 | grep "not found" | grep -v "weak version"; then \
      echo "libLibTorchSharp.so cannot be loaded in this image (README, 'Native libraries on Debian 12')" >&2; exit 1; \
    fi
USER $APP_UID
ENTRYPOINT ["dotnet", "SecureCompute.Client.dll"]
