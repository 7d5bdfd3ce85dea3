import { Global, Module } from '@nestjs/common';
import { EstateController } from './estate.controller';
import { EstateService } from './estate.service';

@Global()
@Module({
  controllers: [EstateController],
  providers: [EstateService],
  exports: [EstateService],
})
export class EstateModule {}
