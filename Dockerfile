# make image. The runtime stage is a JRE and the Quarkus app, nothing else, run as a non-root user.
# Base images are build arguments: public ones by default; `make image` on a machine without a registry
# passes local bases that hack/images.sh makes from Debian packages.
#   APP=build     (default) compile the operator in the build stage, Maven's downloads cached across builds
#   APP=prebuilt  copy target/quarkus-app from the build context (built by `mvn package` on this machine)
# No `# syntax=` line: the Dockerfile frontend built into the engine is used, nothing is downloaded.
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.16_8-jre-noble
ARG APP=build

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q dependency:go-offline
COPY src ./src
COPY crds ./crds
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q package -DskipTests

FROM scratch AS prebuilt
COPY target/quarkus-app/ /src/target/quarkus-app/

# BuildKit builds only the stages the final one needs: with APP=prebuilt the build stage (and its base
# image) is never touched.
FROM ${APP} AS app

FROM ${RUNTIME_IMAGE}
ENV LANG=C.UTF-8 JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
WORKDIR /deployments
# Quarkus' fast-jar layout: libraries change least often, so they go first.
COPY --from=app --chown=185:185 /src/target/quarkus-app/lib/ ./lib/
COPY --from=app --chown=185:185 /src/target/quarkus-app/*.jar ./
COPY --from=app --chown=185:185 /src/target/quarkus-app/app/ ./app/
COPY --from=app --chown=185:185 /src/target/quarkus-app/quarkus/ ./quarkus/
USER 185:185
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
