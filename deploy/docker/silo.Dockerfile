# syntax=docker/dockerfile:1
# The SecureCompute silo (a party's or the dealer's). Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t REGISTRY/securecompute/silo:TAG .
# linux-x64 only: libtorch is restored for that runtime (build/LibTorch.targets).
#
# TorchSharp's native bridge (libLibTorchSharp.so) asks for GLIBCXX_3.4.32. The build step in
# build/GlibcxxCompat.targets marks that requirement weak in the published copy only when the BUILD stage's
# libstdc++ lacks it, so the build and runtime stages must share one distribution: both use DISTRO below. With the
# default (Ubuntu 24.04, "noble", GCC 14's libstdc++) nothing needs changing; on an older base (e.g. a Debian 12
# image) the build patches the copy and the runtime accepts it. The last RUN in the runtime stage checks with ldd
# that the library's requirements are met there, so a mismatched pair of images fails the build, not the pod.
ARG DISTRO=noble

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0-${DISTRO} AS build
WORKDIR /src
# Restore first (its layer survives source edits): the project files and the MSBuild pieces they import.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Mpc/Mpc.csproj src/Mpc/
COPY src/Learning/Learning.csproj src/Learning/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Silo.csproj -r linux-x64
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release -r linux-x64 --self-contained false --no-restore \
      -p:UseAppHost=false -o /app

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/runtime:10.0-${DISTRO}
WORKDIR /app
COPY --from=build /app ./
# Fails the build if the loader would refuse TorchSharp's native library here ("weak version ... not found" is
# accepted: that is the marked requirement on an older libstdc++).
RUN if ldd /app/libLibTorchSharp.so 2>&1 | grep "not found" | grep -v "weak version"; then \
      echo "libLibTorchSharp.so cannot be loaded in this image (README, 'Native libraries on Debian 12')" >&2; exit 1; \
    fi
# The .NET images' non-root user (uid 1654); the Kubernetes manifests run as this uid.
USER $APP_UID
# 11111: silo-to-silo, 30000: client gateway (SecureCompute:Ports).
EXPOSE 11111 30000
ENTRYPOINT ["dotnet", "SecureCompute.Silo.dll"]
