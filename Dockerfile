# syntax=docker/dockerfile:1.7
# make image. Stage 1 builds the operator with Maven (dependencies cached across builds); stage 2 is the
# JRE and the Quarkus app, nothing else, run as a non-root user.
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY --link pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q dependency:go-offline
COPY --link src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q package -DskipTests

FROM eclipse-temurin:17.0.16_8-jre-noble
ENV LANG=C.UTF-8 JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
WORKDIR /deployments
# Quarkus' fast-jar layout: libraries change least often, so they go first.
COPY --link --from=build --chown=185:185 /src/target/quarkus-app/lib/ ./lib/
COPY --link --from=build --chown=185:185 /src/target/quarkus-app/*.jar ./
COPY --link --from=build --chown=185:185 /src/target/quarkus-app/app/ ./app/
COPY --link --from=build --chown=185:185 /src/target/quarkus-app/quarkus/ ./quarkus/
USER 185:185
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
