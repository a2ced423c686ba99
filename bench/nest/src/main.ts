import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BenchController } from './bench.controller';

@Module({ controllers: [BenchController] })
class AppModule {}

async function main() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  // The banner `go run ./bench` reads when it starts this app (run: target).
  const { port } = app.getHttpServer().address();
  console.log(`listening on http://127.0.0.1:${port} (nest, pid ${process.pid})`);
}
main();
