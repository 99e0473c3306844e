// What the page starts with: five meanings, each said in two or three of seven languages and four
// scripts, mixed up so that the heat map's ordering has something to do.

export const SENTENCES = [
  'The cat is sleeping on the sofa.',
  'Hoy hace mucho calor.',
  'Я учу новый язык.',
  '火车晚点了。',
  '이 책은 정말 재미있다.',
  'Die Katze schläft auf dem Sofa.',
  'الجو حار جدا اليوم.',
  'I am learning a new language.',
  'Der Zug hat Verspätung.',
  'Эта книга очень интересная.',
  '고양이가 소파에서 자고 있다.',
  'It is very hot today.',
  '我在学习一门新语言。',
  'El tren llega tarde.',
  'هذا الكتاب ممتع جدا.',
];

export const DOCUMENTS = [
  'Der Zug nach Berlin fällt heute wegen eines Streiks aus.',
  'Cómo preparar una tortilla de patatas en veinte minutos.',
  'Московское метро открывает три новые станции.',
  '서울의 봄 날씨는 따뜻하고 맑다.',
  'الرياضة اليومية تحسن صحة القلب.',
  '这家咖啡馆的咖啡很好喝。',
  'The museum is free to visit on Sundays.',
  'Los precios de la vivienda subieron un diez por ciento.',
];

export const QUERY = 'Are the trains running today?';
